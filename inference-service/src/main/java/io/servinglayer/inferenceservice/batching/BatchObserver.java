package io.servinglayer.inferenceservice.batching;

/**
 * Hears what a batcher does, for metrics; called on the batcher's thread, so it must be
 * quick.
 */
public interface BatchObserver {

	BatchObserver NONE = new BatchObserver() {
	};

	/** A request left the queue after waiting {@code nanos}. */
	default void dequeued(long nanos) {
	}

	/**
	 * A request was refused for overload: the queue was full, or it waited past its
	 * bound.
	 */
	default void shed() {
	}

	/** A batch of {@code rows} rows ran in ONNX Runtime for {@code nanos}. */
	default void ran(int rows, long nanos) {
	}

}
