package io.servinglayer.controlplane.deployment;

import java.time.Instant;

/** A deployment as the admin API shows it; {@code revision} is its ETag. */
record DeploymentResponse(String name, String model, String pool, int stableVersion, DeploymentSpec.Canary canary,
		DeploymentSpec.Shadow shadow, String stickyKey, int timeoutMs, DeploymentSpec.Batching batching, long revision,
		String createdBy, Instant createdAt, String updatedBy, Instant updatedAt) {

	static DeploymentResponse of(Deployment deployment) {
		DeploymentSpec spec = deployment.spec();
		return new DeploymentResponse(deployment.name(), spec.model(), spec.pool(), spec.stableVersion(), spec.canary(),
				spec.shadow(), spec.stickyKey(), spec.timeoutMs(), spec.batching(), deployment.revision(),
				deployment.createdBy(), deployment.createdAt(), deployment.updatedBy(), deployment.updatedAt());
	}

}
