package io.servinglayer.inferenceservice.batching;

/**
 * How one model version batches.
 *
 * @param maxBatchSize the most rows one ONNX Runtime call takes; 1 turns batching off
 * @param maxQueueDelayMicros the longest the first request of a batch waits for others to
 * join
 * @param maxQueuedRequests the most requests waiting; beyond it new ones are shed
 * @param maxQueueWaitMicros the longest a request may wait in the queue before it is shed
 * instead of run (its caller would give up on it soon after); 0 for no bound
 */
public record BatchSettings(int maxBatchSize, long maxQueueDelayMicros, int maxQueuedRequests,
		long maxQueueWaitMicros) {

	public BatchSettings {
		if (maxBatchSize < 1 || maxQueueDelayMicros < 0 || maxQueuedRequests < 1 || maxQueueWaitMicros < 0) {
			throw new IllegalArgumentException("batching needs maxBatchSize >= 1, maxQueueDelayMicros >= 0, "
					+ "maxQueuedRequests >= 1 and maxQueueWaitMicros >= 0, got " + maxBatchSize + ", "
					+ maxQueueDelayMicros + ", " + maxQueuedRequests + ", " + maxQueueWaitMicros);
		}
	}

	/** Settings with no bound on a request's wait in the queue. */
	public BatchSettings(int maxBatchSize, long maxQueueDelayMicros, int maxQueuedRequests) {
		this(maxBatchSize, maxQueueDelayMicros, maxQueuedRequests, 0);
	}

}
