package io.servinglayer.inferenceservice.batching;

/**
 * When one request's batch ran, for its trace: written by the batcher before it completes
 * the request's result, read by the caller after that result arrives (the completion
 * orders the two, so plain fields suffice).
 */
public final class BatchTimes {

	private long enqueuedNanos;

	private long startedNanos;

	private long endedNanos;

	private int batchRows;

	void ran(long enqueuedNanos, long startedNanos, long endedNanos, int batchRows) {
		this.enqueuedNanos = enqueuedNanos;
		this.startedNanos = startedNanos;
		this.endedNanos = endedNanos;
		this.batchRows = batchRows;
	}

	/** Whether the batcher got as far as running the request. */
	public boolean ran() {
		return this.endedNanos != 0;
	}

	/** {@link System#nanoTime()} when the request was queued. */
	public long enqueuedNanos() {
		return this.enqueuedNanos;
	}

	/** {@link System#nanoTime()} when its batch started in ONNX Runtime. */
	public long startedNanos() {
		return this.startedNanos;
	}

	/** {@link System#nanoTime()} when its batch returned or failed. */
	public long endedNanos() {
		return this.endedNanos;
	}

	/** The rows of the whole batch the request ran in. */
	public int batchRows() {
		return this.batchRows;
	}

}
