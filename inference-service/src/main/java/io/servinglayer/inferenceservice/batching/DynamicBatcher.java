package io.servinglayer.inferenceservice.batching;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.servinglayer.inferenceservice.runtime.Tensor;

/**
 * Gathers concurrent requests for one model version into batches: a batch closes when it
 * holds {@code maxBatchSize} rows or when its first request has waited
 * {@code maxQueueDelayMicros}, whichever comes first. Requests are taken in arrival
 * order, so none starves behind later ones; a request that cannot join the open batch
 * (other trailing dimensions or outputs, or too many rows) starts the next one. The queue
 * is bounded: when it is full, {@link #submit} refuses at once, and a request that waited
 * in it longer than {@code maxQueueWaitMicros} is refused instead of run.
 *
 * <p>
 * Knows nothing of HTTP. Batching is only used when every input and output of the model
 * has a free first dimension; otherwise the caller passes {@code maxBatchSize} 1.
 */
public final class DynamicBatcher implements AutoCloseable {

	private final String name;

	private final BatchRunner runner;

	private final BatchSettings settings;

	private final BatchObserver observer;

	private final LinkedBlockingQueue<Pending> queue;

	/**
	 * Bounds calls in flight when batching is off and requests run on their own threads.
	 */
	private final Semaphore inline;

	private final Thread worker;

	/** Runs in ONNX Runtime right now, on the worker or on callers' threads. */
	private final java.util.concurrent.atomic.AtomicInteger callsInFlight = new java.util.concurrent.atomic.AtomicInteger();

	private volatile boolean running = true;

	public DynamicBatcher(String name, BatchRunner runner, BatchSettings settings) {
		this(name, runner, settings, BatchObserver.NONE);
	}

	public DynamicBatcher(String name, BatchRunner runner, BatchSettings settings, BatchObserver observer) {
		this.name = name;
		this.runner = runner;
		this.settings = settings;
		this.observer = observer;
		this.queue = new LinkedBlockingQueue<>(settings.maxQueuedRequests());
		this.inline = new Semaphore(settings.maxQueuedRequests());
		this.worker = new Thread(this::work, "batcher-" + name);
		this.worker.setDaemon(true);
	}

	/** Starts the worker; requests submitted before wait in the queue. */
	public DynamicBatcher start() {
		this.worker.start();
		return this;
	}

	/**
	 * Queues a request.
	 * @param inputs the request's inputs, each with its rows in the first dimension
	 * @param outputs the outputs wanted, empty for all
	 * @throws QueueFullException if the queue is full
	 */
	public CompletableFuture<Map<String, Tensor>> submit(Map<String, Tensor> inputs, List<String> outputs) {
		return submit(inputs, outputs, null);
	}

	/**
	 * Queues a request and notes when it ran.
	 * @param times filled in before the result completes; {@code null} when not wanted
	 * @throws QueueFullException if the queue is full
	 */
	public CompletableFuture<Map<String, Tensor>> submit(Map<String, Tensor> inputs, List<String> outputs,
			BatchTimes times) {
		if (!this.running) {
			throw new VersionUnloadedException(this.name, "is shutting down");
		}
		if (this.settings.maxBatchSize() == 1) {
			return runInline(inputs, outputs, times);
		}
		Pending pending = new Pending(inputs, outputs, rows(inputs), System.nanoTime(), times,
				new CompletableFuture<>());
		if (!this.queue.offer(pending)) {
			this.observer.shed();
			throw new QueueFullException(this.name, this.settings.maxQueuedRequests());
		}
		return pending.result();
	}

	public int queueDepth() {
		return this.queue.size() + (this.settings.maxQueuedRequests() - this.inline.availablePermits());
	}

	/**
	 * Without batching there is nothing to wait for: the caller's thread runs its own
	 * request, which spares two thread hand-offs per call. The same bound applies to
	 * calls in flight.
	 */
	private CompletableFuture<Map<String, Tensor>> runInline(Map<String, Tensor> inputs, List<String> outputs,
			BatchTimes times) {
		if (!this.inline.tryAcquire()) {
			this.observer.shed();
			throw new QueueFullException(this.name, this.settings.maxQueuedRequests());
		}
		this.callsInFlight.incrementAndGet();
		try {
			if (!this.running) {
				throw new VersionUnloadedException(this.name, "is shutting down");
			}
			long started = System.nanoTime();
			this.observer.dequeued(0);
			Map<String, Tensor> result;
			try {
				result = this.runner.run(inputs, outputs);
			}
			finally {
				if (times != null) {
					times.ran(started, started, System.nanoTime(), rows(inputs));
				}
			}
			this.observer.ran(rows(inputs), System.nanoTime() - started);
			return CompletableFuture.completedFuture(result);
		}
		catch (VersionUnloadedException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		finally {
			this.callsInFlight.decrementAndGet();
			this.inline.release();
		}
	}

	/**
	 * Stops taking requests, lets the queued ones finish (up to {@code drainMillis};
	 * those still queued then fail), and waits for every call already running in ONNX
	 * Runtime to return.
	 * @return whether nothing is running any more, so the model's session may be closed
	 */
	public boolean close(long drainMillis) {
		this.running = false;
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
		while (!this.queue.isEmpty() && System.nanoTime() < deadline && this.worker.isAlive()) {
			pause();
		}
		this.worker.interrupt();
		Pending left;
		while ((left = this.queue.poll()) != null) {
			left.result().completeExceptionally(new VersionUnloadedException(this.name, "was unloaded"));
		}
		// Closing a session under a running call crashes the JVM: wait for the calls,
		// whatever the drain time.
		long hardDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while ((this.callsInFlight.get() > 0 || this.worker.isAlive()) && System.nanoTime() < hardDeadline) {
			pause();
		}
		return this.callsInFlight.get() == 0;
	}

	private static void pause() {
		try {
			Thread.sleep(1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		close(5_000);
	}

	private void work() {
		Pending carried = null;
		while (this.running || !this.queue.isEmpty() || carried != null) {
			List<Pending> batch = new ArrayList<>();
			int rows = 0;
			try {
				Pending first = (carried != null) ? carried : this.queue.poll(100, TimeUnit.MILLISECONDS);
				carried = null;
				if (first == null || shedIfLate(first)) {
					continue;
				}
				batch.add(first);
				rows = first.rows();
				long deadline = first.enqueuedNanos()
						+ TimeUnit.MICROSECONDS.toNanos(this.settings.maxQueueDelayMicros());
				while (rows < this.settings.maxBatchSize()) {
					long wait = deadline - System.nanoTime();
					Pending next = (wait > 0) ? this.queue.poll(wait, TimeUnit.NANOSECONDS) : this.queue.poll();
					if (next == null) {
						break;
					}
					if (shedIfLate(next)) {
						continue;
					}
					if (!fits(first, next) || rows + next.rows() > this.settings.maxBatchSize()) {
						carried = next;
						break;
					}
					batch.add(next);
					rows += next.rows();
				}
				run(batch, rows);
			}
			catch (InterruptedException ex) {
				// Unloading stopped the gathering: what was already taken from the queue
				// still runs (the session stays open until this thread ends), or its
				// callers would wait out their whole timeout.
				if (!batch.isEmpty()) {
					run(batch, rows);
				}
				if (carried != null) {
					run(List.of(carried), carried.rows());
				}
				return;
			}
		}
	}

	private void run(List<Pending> batch, int rows) {
		this.callsInFlight.incrementAndGet();
		try {
			runCounted(batch, rows);
		}
		finally {
			this.callsInFlight.decrementAndGet();
		}
	}

	private void runCounted(List<Pending> batch, int rows) {
		long started = System.nanoTime();
		for (Pending pending : batch) {
			this.observer.dequeued(started - pending.enqueuedNanos());
		}
		try {
			if (batch.size() == 1) {
				Pending only = batch.get(0);
				Map<String, Tensor> outputs = this.runner.run(only.inputs(), only.outputs());
				long ended = System.nanoTime();
				this.observer.ran(rows, ended - started);
				only.noteRun(started, ended, rows);
				only.result().complete(outputs);
				return;
			}
			Map<String, Tensor> stacked = new LinkedHashMap<>();
			for (String input : batch.get(0).inputs().keySet()) {
				stacked.put(input, stack(batch, input, rows));
			}
			Map<String, Tensor> outputs = this.runner.run(stacked, batch.get(0).outputs());
			long ended = System.nanoTime();
			this.observer.ran(rows, ended - started);
			int offset = 0;
			for (Pending pending : batch) {
				Map<String, Tensor> own = new LinkedHashMap<>();
				for (Map.Entry<String, Tensor> output : outputs.entrySet()) {
					own.put(output.getKey(), slice(output.getValue(), offset, pending.rows(), rows));
				}
				offset += pending.rows();
				pending.noteRun(started, ended, rows);
				pending.result().complete(own);
			}
		}
		catch (RuntimeException ex) {
			long ended = System.nanoTime();
			batch.forEach((pending) -> {
				pending.noteRun(started, ended, rows);
				pending.result().completeExceptionally(ex);
			});
		}
	}

	private static Tensor stack(List<Pending> batch, String input, int rows) {
		Tensor first = batch.get(0).inputs().get(input);
		long[] shape = first.shape().clone();
		shape[0] = rows;
		Object data = Array.newInstance(first.data().getClass().getComponentType(), (int) Tensor.elementCount(shape));
		int position = 0;
		for (Pending pending : batch) {
			Object part = pending.inputs().get(input).data();
			int length = Array.getLength(part);
			System.arraycopy(part, 0, data, position, length);
			position += length;
		}
		return new Tensor(first.datatype(), shape, data);
	}

	private static Tensor slice(Tensor output, int rowOffset, int rows, int totalRows) {
		if (output.shape().length == 0 || output.shape()[0] != totalRows) {
			throw new IllegalStateException(
					"output of shape " + Arrays.toString(output.shape()) + " is not batched along its first dimension");
		}
		int rowSize = (int) (Tensor.elementCount(output.shape()) / totalRows);
		long[] shape = output.shape().clone();
		shape[0] = rows;
		Object data = Array.newInstance(output.data().getClass().getComponentType(), rows * rowSize);
		System.arraycopy(output.data(), rowOffset * rowSize, data, 0, rows * rowSize);
		return new Tensor(output.datatype(), shape, data);
	}

	/**
	 * Whether two requests can share a batch: same inputs with the same trailing
	 * dimensions, same outputs.
	 */
	/**
	 * Refuses a request that waited in the queue over {@code maxQueueWaitMicros}: under
	 * overload the queue then stays as long as its bound allows, the requests admitted
	 * are answered in time, and the rest get a prompt 503 to retry elsewhere instead of a
	 * timeout after work nobody waits for.
	 */
	private boolean shedIfLate(Pending pending) {
		long bound = this.settings.maxQueueWaitMicros();
		if (bound == 0) {
			return false;
		}
		long waited = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - pending.enqueuedNanos());
		if (waited <= bound) {
			return false;
		}
		this.observer.shed();
		pending.result().completeExceptionally(QueueFullException.waitedTooLong(this.name, waited, bound));
		return true;
	}

	private static boolean fits(Pending a, Pending b) {
		if (!a.outputs().equals(b.outputs()) || !a.inputs().keySet().equals(b.inputs().keySet())) {
			return false;
		}
		for (Map.Entry<String, Tensor> input : a.inputs().entrySet()) {
			long[] mine = input.getValue().shape();
			long[] theirs = b.inputs().get(input.getKey()).shape();
			if (mine.length != theirs.length || mine.length == 0
					|| !Arrays.equals(mine, 1, mine.length, theirs, 1, theirs.length)) {
				return false;
			}
		}
		return a.rows() > 0 && b.rows() > 0;
	}

	/**
	 * The rows of a request: the first dimension all its inputs share, or 0 when they do
	 * not share one.
	 */
	private static int rows(Map<String, Tensor> inputs) {
		long rows = -1;
		for (Tensor input : inputs.values()) {
			if (input.shape().length == 0 || (rows >= 0 && input.shape()[0] != rows)) {
				return 0;
			}
			rows = input.shape()[0];
		}
		return (int) Math.max(rows, 0);
	}

	private record Pending(Map<String, Tensor> inputs, List<String> outputs, int rows, long enqueuedNanos,
			BatchTimes times, CompletableFuture<Map<String, Tensor>> result) {

		void noteRun(long started, long ended, int batchRows) {
			if (this.times != null) {
				this.times.ran(this.enqueuedNanos, started, ended, batchRows);
			}
		}

	}

}
