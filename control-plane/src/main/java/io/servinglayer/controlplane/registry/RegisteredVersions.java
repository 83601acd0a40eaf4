package io.servinglayer.controlplane.registry;

import java.util.Optional;

import io.servinglayer.controlplane.signature.Signature;

import org.springframework.stereotype.Component;

/**
 * What other features may know of registered models and versions: enough to deploy and
 * route them.
 */
@Component
public class RegisteredVersions {

	private final ModelRepository models;

	private final ModelVersionRepository versions;

	RegisteredVersions(ModelRepository models, ModelVersionRepository versions) {
		this.models = models;
		this.versions = versions;
	}

	/** The model's id, when it exists and is not archived. */
	public Optional<Long> activeModelId(String model) {
		return this.models.find(model).filter((found) -> !found.archived()).map(Model::id);
	}

	/**
	 * Locks the model's row in the caller's transaction (shared with other deployment
	 * changes, exclusive with archiving), so what a deployment change checked stays true
	 * until it commits.
	 */
	public void lockForDeployment(String model) {
		this.models.lockShared(model);
	}

	public Optional<VersionFacts> version(String model, int version) {
		return this.models.find(model)
			.flatMap((found) -> this.versions.find(found.id(), version))
			.map((found) -> new VersionFacts(found.model(), found.version(), found.digest(), found.sizeBytes(),
					found.archived(), found.signature(), found.featureBinding()));
	}

	/** A registered version as deployments and the routing snapshot see it. */
	public record VersionFacts(String model, int version, String digest, long sizeBytes, boolean archived,
			Signature signature, FeatureBinding featureBinding) {
	}

}
