package io.servinglayer.controlplane.routing;

import java.time.Instant;
import java.util.List;

import io.servinglayer.controlplane.client.ClientRoute;
import io.servinglayer.controlplane.deployment.DeploymentSpec;
import io.servinglayer.controlplane.featureview.FeatureView;
import io.servinglayer.controlplane.registry.FeatureBinding;
import io.servinglayer.controlplane.signature.Signature;

/**
 * Everything the data plane routes by, at one routing revision: the deployments with the
 * versions they serve (digest, where to download the artifact, signature, feature
 * binding), the feature views those versions read, and every client's scopes and rate
 * plan.
 */
public record RoutingSnapshot(long revision, Instant generatedAt, List<DeploymentRoute> deployments,
		List<FeatureView> featureViews, List<ClientRoute> clients) {

	/**
	 * One deployment. {@code canary} and {@code shadow} are absent when not set; the
	 * canary takes {@code canaryWeightBasisPoints} of 10000 hash buckets of
	 * {@code stickyKey} salted with {@code salt}.
	 */
	public record DeploymentRoute(String name, String model, String pool, VersionRoute stable, VersionRoute canary,
			int canaryWeightBasisPoints, VersionRoute shadow, int shadowPercent, String stickyKey, String salt,
			int timeoutMs, DeploymentSpec.Batching batching) {
	}

	/** A version the data plane serves, and what it needs to load and check it. */
	public record VersionRoute(int version, String digest, long sizeBytes, String artifactPath, Signature signature,
			FeatureBinding featureBinding) {
	}

}
