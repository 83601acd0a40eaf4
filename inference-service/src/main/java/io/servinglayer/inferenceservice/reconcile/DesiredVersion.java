package io.servinglayer.inferenceservice.reconcile;

import tools.jackson.databind.JsonNode;

/**
 * A version the routing snapshot assigns to this instance's pool, with what is needed to
 * load it: the registered model it is a version of (where its training baseline is read),
 * the version's feature binding as the snapshot gives it, and the snapshot's feature
 * views, to find the bound one in.
 */
record DesiredVersion(String deployment, String model, int version, String digest, String artifactPath,
		int maxBatchSize, long maxQueueDelayMicros, int timeoutMs, JsonNode featureBinding, JsonNode featureViews) {

	/** Where the control plane serves the version's training baseline. */
	String baselinePath() {
		return "/api/v1/models/" + this.model + "/versions/" + this.version + "/baseline";
	}

	String key() {
		return this.deployment + "/" + this.version;
	}

}
