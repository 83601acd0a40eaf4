package io.servinglayer.controlplane.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.servinglayer.controlplane.signature.Signature;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ModelVersionRepository {

	private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
	};

	private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {
	};

	private static final TypeReference<List<BaselineFeature>> BASELINE = new TypeReference<>() {
	};

	private static final String SELECT = """
			SELECT m.name AS model_name, v.*, a.size_bytes
			FROM model_version v JOIN model m ON m.id = v.model_id JOIN artifact a ON a.digest = v.artifact_digest
			""";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	ModelVersionRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	boolean labelTaken(long modelId, String label) {
		return this.jdbc.sql("SELECT count(*) FROM model_version WHERE model_id = ? AND label = ?")
			.params(modelId, label)
			.query(Long.class)
			.single() > 0;
	}

	void insert(long modelId, int version, VersionMetadata metadata, String digest, Signature signature,
			String createdBy, Instant now) {
		FeatureBinding binding = metadata.featureBinding();
		FeatureBinding.FeatureViewRef view = (binding != null) ? binding.featureView() : null;
		this.jdbc.sql("""
				INSERT INTO model_version (model_id, version, label, description, labels, training_metrics,
				                           artifact_digest, signature, feature_binding, feature_view_name,
				                           feature_view_version, created_by, created_at)
				VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?)""")
			.params(modelId, version, metadata.label(), (metadata.description() != null) ? metadata.description() : "",
					this.json.writeValueAsString((metadata.labels() != null) ? metadata.labels() : Map.of()),
					this.json.writeValueAsString(
							(metadata.trainingMetrics() != null) ? metadata.trainingMetrics() : Map.of()),
					digest, this.json.writeValueAsString(signature),
					(binding != null) ? this.json.writeValueAsString(binding) : null,
					(view != null) ? view.name() : null, (view != null) ? view.version() : null, createdBy,
					ModelRepository.utc(now))
			.update();
	}

	void insertBaseline(long modelId, int version, List<BaselineFeature> features) {
		this.jdbc.sql("INSERT INTO model_version_baseline (model_id, version, features) VALUES (?, ?, ?::jsonb)")
			.params(modelId, version, this.json.writeValueAsString(features))
			.update();
	}

	Optional<List<BaselineFeature>> findBaseline(long modelId, int version) {
		return this.jdbc.sql("SELECT features FROM model_version_baseline WHERE model_id = ? AND version = ?")
			.params(modelId, version)
			.query((rs, row) -> this.json.readValue(rs.getString("features"), BASELINE))
			.optional();
	}

	Optional<ModelVersion> find(long modelId, int version) {
		return this.jdbc.sql(SELECT + " WHERE v.model_id = ? AND v.version = ?")
			.params(modelId, version)
			.query(this::version)
			.optional();
	}

	List<ModelVersion> list(long modelId, int afterVersion, boolean includeArchived, int limit) {
		return this.jdbc
			.sql(SELECT + " WHERE v.model_id = ? AND v.version > ?"
					+ (includeArchived ? "" : " AND v.archived_at IS NULL") + " ORDER BY v.version LIMIT ?")
			.params(modelId, afterVersion, limit)
			.query(this::version)
			.list();
	}

	void archive(long modelId, int version, Instant now) {
		this.jdbc
			.sql("UPDATE model_version SET archived_at = ? WHERE model_id = ? AND version = ? AND archived_at IS NULL")
			.params(ModelRepository.utc(now), modelId, version)
			.update();
	}

	private ModelVersion version(ResultSet rs, int row) throws SQLException {
		OffsetDateTime archivedAt = rs.getObject("archived_at", OffsetDateTime.class);
		String binding = rs.getString("feature_binding");
		return new ModelVersion(rs.getString("model_name"), rs.getInt("version"), rs.getString("label"),
				rs.getString("description"), this.json.readValue(rs.getString("labels"), LABELS),
				this.json.readValue(rs.getString("training_metrics"), METRICS), rs.getString("artifact_digest"),
				rs.getLong("size_bytes"), this.json.readValue(rs.getString("signature"), Signature.class),
				(binding != null) ? this.json.readValue(binding, FeatureBinding.class) : null, archivedAt != null,
				(archivedAt != null) ? archivedAt.toInstant() : null, rs.getString("created_by"),
				rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

}
