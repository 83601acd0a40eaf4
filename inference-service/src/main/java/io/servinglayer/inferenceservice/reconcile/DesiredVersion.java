package io.servinglayer.inferenceservice.reconcile;

import io.servinglayer.contracts.RoutingSnapshot;

/**
 * A version the routing snapshot assigns to this instance's pool, with what is needed to
 * load it: the registered model it is a version of (where its training baseline is read),
 * the version's feature binding as the snapshot gives it, and the snapshot, to find the
 * bound feature view in.
 */
record DesiredVersion(String deployment, String model, int version, String digest, String artifactPath,
		int maxBatchSize, long maxQueueDelayMicros, int timeoutMs, RoutingSnapshot.FeatureBinding featureBinding,
		RoutingSnapshot snapshot) {

	/** Where the control plane serves the version's training baseline. */
	String baselinePath() {
		return "/api/v1/models/" + this.model + "/versions/" + this.version + "/baseline";
	}

	String key() {
		return this.deployment + "/" + this.version;
	}

}
