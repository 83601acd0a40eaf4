package io.servinglayer.inferenceservice.reconcile;

/**
 * A version the routing snapshot assigns to this instance's pool, with what is needed to
 * load it.
 */
record DesiredVersion(String deployment, int version, String digest, String artifactPath, int maxBatchSize,
		long maxQueueDelayMicros, int timeoutMs) {

	String key() {
		return this.deployment + "/" + this.version;
	}

}
