package io.servinglayer.controlplane.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import io.servinglayer.controlplane.artifact.ArtifactSpool;
import io.servinglayer.controlplane.artifact.ArtifactStore;
import io.servinglayer.controlplane.artifact.SpooledArtifact;
import io.servinglayer.controlplane.audit.AuditLog;
import io.servinglayer.controlplane.featureview.FeatureView;
import io.servinglayer.controlplane.featureview.FeatureViewRepository;
import io.servinglayer.controlplane.signature.OnnxSignatureReader;
import io.servinglayer.controlplane.signature.Signature;
import io.servinglayer.controlplane.system.CurrentActor;
import io.servinglayer.controlplane.system.FieldError;
import io.servinglayer.controlplane.system.InvalidRequestException;
import io.servinglayer.controlplane.system.JsonBodyErrors;
import io.servinglayer.controlplane.system.Page;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.multipart.MultipartFile;

/**
 * Registers model versions: an upload is spooled and hashed, opened with ONNX Runtime for
 * its signature, checked against its feature binding, and only then stored, numbered and
 * audited in one transaction, so a refused upload leaves no row and no blob behind.
 */
@Service
class ModelVersionService {

	private final ModelRepository models;

	private final ModelVersionRepository versions;

	private final ArtifactStore artifacts;

	private final OnnxSignatureReader signatures;

	private final FeatureViewRepository featureViews;

	private final AuditLog audit;

	private final CurrentActor actor;

	private final TransactionTemplate transactions;

	private final JsonMapper json;

	private final ArtifactSpool spool;

	private final DeploymentReferences references;

	private final Clock clock;

	ModelVersionService(ModelRepository models, ModelVersionRepository versions, ArtifactStore artifacts,
			OnnxSignatureReader signatures, FeatureViewRepository featureViews, AuditLog audit, CurrentActor actor,
			TransactionTemplate transactions, JsonMapper json, ArtifactSpool spool, DeploymentReferences references,
			Clock clock) {
		this.models = models;
		this.versions = versions;
		this.artifacts = artifacts;
		this.signatures = signatures;
		this.featureViews = featureViews;
		this.audit = audit;
		this.actor = actor;
		this.transactions = transactions;
		this.json = json;
		this.spool = spool;
		this.references = references;
		this.clock = clock;
	}

	ModelVersion register(String modelName, MultipartFile upload, String metadataJson) {
		VersionMetadata metadata = parse(metadataJson);
		metadata.validate();
		Model model = existing(modelName);
		if (model.archived()) {
			throw new ModelArchivedException(modelName);
		}
		try (SpooledArtifact artifact = this.spool.spool(upload)) {
			Signature signature = this.signatures.read(artifact.file());
			checkBinding(metadata, signature);
			List<BaselineFeature> baseline = (metadata.baseline() != null)
					? BaselineCheck.resolve(metadata.baseline(), signature, metadata.featureBinding()) : null;
			return this.transactions.execute((status) -> {
				// The blob first: the model's row lock is then held only for the short
				// rest.
				this.artifacts.store(artifact);
				Model locked = this.models.findForUpdate(modelName)
					.orElseThrow(() -> new ModelNotFoundException(modelName));
				if (locked.archived()) {
					throw new ModelArchivedException(modelName);
				}
				if (metadata.label() != null && this.versions.labelTaken(locked.id(), metadata.label())) {
					throw new DuplicateVersionLabelException(modelName, metadata.label());
				}
				int number = this.models.nextVersion(locked.id());
				this.versions.insert(locked.id(), number, metadata, artifact.digest(), signature, this.actor.name(),
						now());
				if (baseline != null) {
					this.versions.insertBaseline(locked.id(), number, baseline);
				}
				ModelVersion created = this.versions.find(locked.id(), number).orElseThrow();
				this.audit.record("model-version.created", "model-version", modelName + "/" + number, null, created);
				return created;
			});
		}
	}

	ModelVersion get(String modelName, int version) {
		Model model = existing(modelName);
		return this.versions.find(model.id(), version)
			.orElseThrow(() -> new ModelVersionNotFoundException(modelName, version));
	}

	/**
	 * The version's training baseline.
	 * @throws BaselineNotFoundException when it was registered without one
	 */
	VersionBaseline baseline(String modelName, int version) {
		Model model = existing(modelName);
		this.versions.find(model.id(), version)
			.orElseThrow(() -> new ModelVersionNotFoundException(modelName, version));
		return new VersionBaseline(modelName, version, this.versions.findBaseline(model.id(), version)
			.orElseThrow(() -> new BaselineNotFoundException(modelName, version)));
	}

	Page<ModelVersion> list(String modelName, boolean includeArchived, Integer pageSize, String pageToken) {
		int size = Page.size(pageSize);
		Model model = existing(modelName);
		Long after = Page.decodeNumber(pageToken);
		int afterVersion = (after != null) ? after.intValue() : 0;
		return Page.of(this.versions.list(model.id(), afterVersion, includeArchived, size + 1), size,
				(version) -> Integer.toString(version.version()));
	}

	/**
	 * Archives a version; archiving an archived version changes nothing and answers its
	 * state.
	 */
	ModelVersion archive(String modelName, int version) {
		return this.transactions.execute((status) -> {
			Model model = this.models.findForUpdate(modelName).orElseThrow(() -> new ModelNotFoundException(modelName));
			ModelVersion current = this.versions.find(model.id(), version)
				.orElseThrow(() -> new ModelVersionNotFoundException(modelName, version));
			if (current.archived()) {
				return current;
			}
			List<String> servedBy = this.references.ofVersion(model.id(), version);
			if (!servedBy.isEmpty()) {
				throw new InUseException("Version " + version + " of model '" + modelName + "'", servedBy);
			}
			this.versions.archive(model.id(), version, now());
			ModelVersion archived = this.versions.find(model.id(), version).orElseThrow();
			this.audit.record("model-version.archived", "model-version", modelName + "/" + version, current, archived);
			return archived;
		});
	}

	void copyArtifact(ModelVersion version, OutputStream out) throws IOException {
		this.artifacts.copyTo(version.digest(), out);
	}

	private Model existing(String modelName) {
		return this.models.find(modelName).orElseThrow(() -> new ModelNotFoundException(modelName));
	}

	private VersionMetadata parse(String metadataJson) {
		if (metadataJson == null || metadataJson.isBlank()) {
			return VersionMetadata.EMPTY;
		}
		VersionMetadata metadata;
		try {
			metadata = this.json.readValue(metadataJson, VersionMetadata.class);
		}
		catch (JacksonException ex) {
			FieldError error = JsonBodyErrors.of(ex, "metadata");
			throw new InvalidRequestException(List.of((error != null) ? error : new FieldError("metadata",
					"must be a JSON object of version metadata: " + ex.getOriginalMessage())));
		}
		if (metadata == null) {
			throw new InvalidRequestException(
					List.of(new FieldError("metadata", "must be a JSON object of version metadata, not null")));
		}
		return metadata;
	}

	private void checkBinding(VersionMetadata metadata, Signature signature) {
		FeatureBinding binding = metadata.featureBinding();
		if (binding == null) {
			return;
		}
		Optional<FeatureView> view = Optional.empty();
		if (binding.featureView() != null && binding.featureView().name() != null
				&& binding.featureView().version() != null) {
			view = this.featureViews.find(binding.featureView().name(), binding.featureView().version());
		}
		List<FieldError> mismatches = FeatureBindingCheck.mismatches(binding, signature, view);
		if (!mismatches.isEmpty()) {
			throw new FeatureBindingMismatchException(mismatches);
		}
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

}
