package io.servinglayer.inferenceservice.reconcile;

import io.servinglayer.contracts.RoutingSnapshot;

/**
 * A version the routing snapshot assigns to this instance's pool, with what is needed to
 * load it: the version's feature binding as the snapshot gives it, and the snapshot, to
 * find the bound feature view in.
 */
record DesiredVersion(String deployment, int version, String digest, String artifactPath, int maxBatchSize,
		long maxQueueDelayMicros, int timeoutMs, RoutingSnapshot.FeatureBinding featureBinding,
		RoutingSnapshot snapshot) {

	String key() {
		return this.deployment + "/" + this.version;
	}

}
