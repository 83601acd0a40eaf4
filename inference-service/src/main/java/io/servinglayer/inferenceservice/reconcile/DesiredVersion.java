package io.servinglayer.inferenceservice.reconcile;

import tools.jackson.databind.JsonNode;

/**
 * A version the routing snapshot assigns to this instance's pool, with what is needed to
 * load it: the version's feature binding as the snapshot gives it, and the snapshot's
 * feature views, to find the bound one in.
 */
record DesiredVersion(String deployment, int version, String digest, String artifactPath, int maxBatchSize,
		long maxQueueDelayMicros, int timeoutMs, JsonNode featureBinding, JsonNode featureViews) {

	String key() {
		return this.deployment + "/" + this.version;
	}

}
