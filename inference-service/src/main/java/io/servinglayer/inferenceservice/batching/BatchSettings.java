package io.servinglayer.inferenceservice.batching;

/**
 * How one model version batches.
 *
 * @param maxBatchSize the most rows one ONNX Runtime call takes; 1 turns batching off
 * @param maxQueueDelayMicros the longest the first request of a batch waits for others to
 * join
 * @param maxQueuedRequests the most requests waiting; beyond it new ones are shed
 */
public record BatchSettings(int maxBatchSize, long maxQueueDelayMicros, int maxQueuedRequests) {

	public BatchSettings {
		if (maxBatchSize < 1 || maxQueueDelayMicros < 0 || maxQueuedRequests < 1) {
			throw new IllegalArgumentException(
					"batching needs maxBatchSize >= 1, maxQueueDelayMicros >= 0 and " + "maxQueuedRequests >= 1, got "
							+ maxBatchSize + ", " + maxQueueDelayMicros + ", " + maxQueuedRequests);
		}
	}

}
