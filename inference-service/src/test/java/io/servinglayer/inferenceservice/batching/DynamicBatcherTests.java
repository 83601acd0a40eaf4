package io.servinglayer.inferenceservice.batching;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ai.onnx.proto.OnnxMl;
import io.servinglayer.inferenceservice.runtime.DataType;
import io.servinglayer.inferenceservice.runtime.LoadedModel;
import io.servinglayer.inferenceservice.runtime.RuntimeSettings;
import io.servinglayer.inferenceservice.runtime.Tensor;
import io.servinglayer.samplemodels.IdentityModel;
import io.servinglayer.samplemodels.SyntheticClassifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

class DynamicBatcherTests {

	@TempDir
	static Path dir;

	LoadedModel fraud;

	final List<Integer> batchRows = Collections.synchronizedList(new ArrayList<>());

	@BeforeEach
	void open() {
		this.fraud = LoadedModel.open(SyntheticClassifier.fraud().writeOnnx(dir.resolve("fraud.onnx")),
				RuntimeSettings.defaults());
	}

	@AfterEach
	void closeModel() {
		this.fraud.close();
	}

	@Test
	void aRequestThatWaitedPastItsBoundInTheQueueIsShedInsteadOfRunLate() throws Exception {
		java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
		java.util.concurrent.atomic.AtomicInteger shed = new java.util.concurrent.atomic.AtomicInteger();
		BatchRunner slowFirst = (inputs, outputs) -> {
			if (ran.incrementAndGet() == 1) {
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return this.fraud.run(inputs, outputs);
		};
		BatchObserver counting = new BatchObserver() {
			@Override
			public void shed() {
				shed.incrementAndGet();
			}
		};
		Tensor row = new Tensor(DataType.FP32, new long[] { 1, 3 }, new float[] { 1, 2, 3 });
		try (DynamicBatcher batcher = new DynamicBatcher("fraud/1", slowFirst, new BatchSettings(1_000, 0, 256, 50_000),
				counting)
			.start()) {
			CompletableFuture<Map<String, Tensor>> first = batcher.submit(Map.of("input", row), List.of());
			while (ran.get() == 0) {
				Thread.sleep(1);
			}
			CompletableFuture<Map<String, Tensor>> late = batcher.submit(Map.of("input", row), List.of());
			Thread.sleep(120);
			release.countDown();

			assertThat(first.get(10, TimeUnit.SECONDS)).containsKey("output");
			assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
				.isThrownBy(() -> late.get(10, TimeUnit.SECONDS))
				.withCauseInstanceOf(QueueFullException.class)
				.withMessageContaining("shed instead of answered late");
			assertThat(ran).hasValue(1);
			assertThat(shed).hasValue(1);
			assertThat(batcher.submit(Map.of("input", row), List.of()).get(10, TimeUnit.SECONDS)).containsKey("output");
		}
	}

	@Test
	void answersUnderBatchingEqualUnbatchedAnswersElementForElement() throws Exception {
		Random random = new Random(3);
		List<Tensor> inputs = new ArrayList<>();
		for (int i = 0; i < 96; i++) {
			int rows = 1 + random.nextInt(3);
			float[] data = new float[rows * 3];
			for (int j = 0; j < data.length; j++) {
				data[j] = (float) random.nextGaussian();
			}
			inputs.add(new Tensor(DataType.FP32, new long[] { rows, 3 }, data));
		}
		try (DynamicBatcher batcher = new DynamicBatcher("fraud/1", recording(this.fraud::run),
				new BatchSettings(16, 2_000, 256))
			.start()) {
			ExecutorService callers = Executors.newFixedThreadPool(8);
			try {
				List<Future<Map<String, Tensor>>> answers = new ArrayList<>();
				for (Tensor input : inputs) {
					answers.add(callers
						.submit(() -> batcher.submit(Map.of("input", input), List.of()).get(10, TimeUnit.SECONDS)));
				}
				for (int i = 0; i < inputs.size(); i++) {
					float[] batched = (float[]) answers.get(i).get(30, TimeUnit.SECONDS).get("output").data();
					float[] alone = (float[]) this.fraud.run(Map.of("input", inputs.get(i)), List.of())
						.get("output")
						.data();
					assertThat(batched).hasSameSizeAs(alone);
					for (int j = 0; j < alone.length; j++) {
						assertThat(batched[j]).isCloseTo(alone[j], within(1e-6f));
					}
				}
			}
			finally {
				callers.shutdownNow();
			}
		}
		assertThat(this.batchRows.stream().mapToInt(Integer::intValue).sum())
			.isEqualTo(inputs.stream().mapToLong((tensor) -> tensor.shape()[0]).sum());
	}

	@Test
	void closesABatchAtMaxBatchSizeAndKeepsArrivalOrder() throws Exception {
		DynamicBatcher batcher = new DynamicBatcher("fraud/1", recording(this.fraud::run),
				new BatchSettings(4, 1_000_000, 64));
		List<CompletableFuture<Map<String, Tensor>>> answers = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			answers.add(batcher.submit(Map.of("input", row(i)), List.of()));
		}

		batcher.start();
		for (int i = 0; i < 10; i++) {
			float[] alone = (float[]) this.fraud.run(Map.of("input", row(i)), List.of()).get("output").data();
			assertThat((float[]) answers.get(i).get(10, TimeUnit.SECONDS).get("output").data()).containsExactly(alone,
					within(1e-6f));
		}
		batcher.close();
		assertThat(this.batchRows).containsExactly(4, 4, 2);
	}

	@Test
	void notesWhenEachRequestWaitedAndWhenItsBatchRanForItsTrace() throws Exception {
		DynamicBatcher batcher = new DynamicBatcher("fraud/1", this.fraud::run, new BatchSettings(4, 20_000, 16))
			.start();
		BatchTimes first = new BatchTimes();
		BatchTimes second = new BatchTimes();
		long before = System.nanoTime();
		CompletableFuture<Map<String, Tensor>> a = batcher.submit(Map.of("input", row(0)), List.of(), first);
		CompletableFuture<Map<String, Tensor>> b = batcher.submit(Map.of("input", row(1)), List.of(), second);
		a.get(10, TimeUnit.SECONDS);
		b.get(10, TimeUnit.SECONDS);
		long after = System.nanoTime();
		batcher.close();

		for (BatchTimes times : List.of(first, second)) {
			assertThat(times.ran()).isTrue();
			assertThat(times.enqueuedNanos()).isBetween(before, times.startedNanos());
			assertThat(times.startedNanos()).isLessThanOrEqualTo(times.endedNanos());
			assertThat(times.endedNanos()).isLessThanOrEqualTo(after);
		}
		assertThat(first.batchRows()).isEqualTo(2);
		assertThat(first.startedNanos()).isEqualTo(second.startedNanos());
	}

	@Test
	void shedsARequestWhenTheQueueIsFull() {
		DynamicBatcher batcher = new DynamicBatcher("fraud/1", this.fraud::run, new BatchSettings(8, 1_000, 3));
		for (int i = 0; i < 3; i++) {
			batcher.submit(Map.of("input", row(i)), List.of());
		}

		assertThatExceptionOfType(QueueFullException.class)
			.isThrownBy(() -> batcher.submit(Map.of("input", row(3)), List.of()))
			.withMessageContaining("3 requests waiting");
		assertThat(batcher.queueDepth()).isEqualTo(3);
		batcher.close(0);
	}

	@Test
	void closingWaitsForTheBatchRunningInOnnxRuntime() throws Exception {
		java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
		DynamicBatcher batcher = new DynamicBatcher("slow/1", (inputs, outputs) -> {
			started.countDown();
			try {
				Thread.sleep(300);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finished.set(true);
			return Map.of();
		}, new BatchSettings(8, 0, 8)).start();
		batcher.submit(Map.of("input", row(0)), List.of());
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

		boolean idle = batcher.close(0);

		assertThat(finished).isTrue();
		assertThat(idle).isTrue();
	}

	@Test
	void aRequestTakenForABatchWhenTheVersionIsUnloadedStillGetsItsAnswer() throws Exception {
		// A queue delay of 10 s: the worker takes the request and waits for companions.
		DynamicBatcher batcher = new DynamicBatcher("fraud/1", recording(this.fraud::run),
				new BatchSettings(8, 10_000_000, 8))
			.start();
		CompletableFuture<Map<String, Tensor>> answer = batcher.submit(Map.of("input", row(0)), List.of());
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(10))
			.until(() -> batcher.queueDepth() == 0);

		batcher.close(0);

		assertThat(answer.get(5, TimeUnit.SECONDS)).containsKey("output");
	}

	@Test
	void withoutBatchingEachRequestRunsOnItsCallersThread() throws Exception {
		DynamicBatcher batcher = new DynamicBatcher("fraud/1", recording(this.fraud::run),
				new BatchSettings(1, 1_000, 4));

		CompletableFuture<Map<String, Tensor>> answer = batcher.submit(Map.of("input", row(1)), List.of());

		assertThat(answer).isDone();
		float[] alone = (float[]) this.fraud.run(Map.of("input", row(1)), List.of()).get("output").data();
		assertThat((float[]) answer.get().get("output").data()).containsExactly(alone, within(1e-6f));
		assertThat(this.batchRows).containsExactly(1);
		batcher.close(0);
	}

	@Test
	void requestsWithOtherTrailingDimensionsRunInTheirOwnBatches() throws Exception {
		try (LoadedModel identity = LoadedModel.open(
				IdentityModel.write(dir.resolve("identity.onnx"), OnnxMl.TensorProto.DataType.INT64_VALUE, 0),
				RuntimeSettings.defaults())) {
			DynamicBatcher batcher = new DynamicBatcher("identity/1", recording(identity::run),
					new BatchSettings(8, 1_000_000, 16));
			Tensor narrow = new Tensor(DataType.INT64, new long[] { 1, 2 }, new long[] { 1, 2 });
			Tensor wide = new Tensor(DataType.INT64, new long[] { 1, 3 }, new long[] { 3, 4, 5 });
			CompletableFuture<Map<String, Tensor>> a = batcher.submit(Map.of("x", narrow), List.of());
			CompletableFuture<Map<String, Tensor>> b = batcher.submit(Map.of("x", wide), List.of());
			CompletableFuture<Map<String, Tensor>> c = batcher.submit(Map.of("x", narrow), List.of());
			batcher.start();

			assertThat(a.get(10, TimeUnit.SECONDS).get("y")).isEqualTo(narrow);
			assertThat(b.get(10, TimeUnit.SECONDS).get("y")).isEqualTo(wide);
			assertThat(c.get(10, TimeUnit.SECONDS).get("y")).isEqualTo(narrow);
			batcher.close();
			assertThat(this.batchRows).containsExactly(1, 1, 1);
		}
	}

	@Test
	void aFailedBatchFailsEachOfItsRequestsWithTheReason() {
		DynamicBatcher batcher = new DynamicBatcher("broken/1", (inputs, outputs) -> {
			throw new IllegalStateException("the model fell over");
		}, new BatchSettings(8, 1_000, 8));
		CompletableFuture<Map<String, Tensor>> a = batcher.submit(Map.of("input", row(0)), List.of());
		CompletableFuture<Map<String, Tensor>> b = batcher.submit(Map.of("input", row(1)), List.of());
		batcher.start();

		assertThat(a).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().withMessageContaining("fell over");
		assertThat(b).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().withMessageContaining("fell over");
		batcher.close();
	}

	@Test
	void aModelFailureIsTheRequestsFailureNeverTakenForAnUnload() {
		DynamicBatcher batcher = new DynamicBatcher("broken/1", (inputs, outputs) -> {
			throw new IllegalStateException("the model fell over");
		}, new BatchSettings(1, 0, 8)).start();

		CompletableFuture<Map<String, Tensor>> answer = batcher.submit(Map.of("input", row(0)), List.of());

		assertThat(answer).failsWithin(10, TimeUnit.SECONDS)
			.withThrowableThat()
			.withMessageContaining("fell over")
			.withCauseInstanceOf(IllegalStateException.class);
		batcher.close();
		assertThatExceptionOfType(VersionUnloadedException.class)
			.isThrownBy(() -> batcher.submit(Map.of("input", row(1)), List.of()));
	}

	private BatchRunner recording(BatchRunner runner) {
		return (inputs, outputs) -> {
			this.batchRows.add((int) inputs.values().iterator().next().shape()[0]);
			return runner.run(inputs, outputs);
		};
	}

	private static Tensor row(int i) {
		return new Tensor(DataType.FP32, new long[] { 1, 3 }, new float[] { i, -i, i / 2f });
	}

}
