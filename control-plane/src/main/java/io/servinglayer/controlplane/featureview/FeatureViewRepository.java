package io.servinglayer.controlplane.featureview;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Feature views in PostgreSQL. Public so the registry can check bindings against them.
 */
@Repository
public class FeatureViewRepository {

	private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
	};

	private static final TypeReference<List<FeatureSpec>> FEATURES = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	FeatureViewRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	public Optional<FeatureView> find(String name, int version) {
		return this.jdbc.sql("SELECT * FROM feature_view WHERE name = ? AND version = ?")
			.params(name, version)
			.query(this::view)
			.optional();
	}

	/** Inserts the view unless that name and version exist; says whether it did. */
	boolean insert(FeatureView view) {
		return this.jdbc.sql("""
				INSERT INTO feature_view (name, version, description, entity_keys, features, max_age_seconds,
				                          on_missing, on_stale, created_by, created_at)
				VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)
				ON CONFLICT (name, version) DO NOTHING""")
			.params(view.name(), view.version(), view.description(), this.json.writeValueAsString(view.entityKeys()),
					this.json.writeValueAsString(view.features()), view.maxAgeSeconds(), view.onMissing().value(),
					view.onStale().value(), view.createdBy(),
					OffsetDateTime.ofInstant(view.createdAt(), ZoneOffset.UTC))
			.update() == 1;
	}

	/** Every version of the view, oldest first; empty when there is no such view. */
	public List<FeatureView> versions(String name) {
		return this.jdbc.sql("SELECT * FROM feature_view WHERE name = ? ORDER BY version")
			.param(name)
			.query(this::view)
			.list();
	}

	/** The newest version of each view, by name, after {@code afterName} when given. */
	List<FeatureView> latest(String afterName, int limit) {
		return this.jdbc.sql("""
				SELECT DISTINCT ON (name) * FROM feature_view
				WHERE (CAST(? AS text) IS NULL OR name > ?)
				ORDER BY name, version DESC LIMIT ?""").params(afterName, afterName, limit).query(this::view).list();
	}

	private FeatureView view(ResultSet rs, int row) throws SQLException {
		return new FeatureView(rs.getString("name"), rs.getInt("version"), rs.getString("description"),
				this.json.readValue(rs.getString("entity_keys"), STRINGS),
				this.json.readValue(rs.getString("features"), FEATURES), rs.getLong("max_age_seconds"),
				RowPolicy.of(rs.getString("on_missing")), RowPolicy.of(rs.getString("on_stale")),
				rs.getString("created_by"), rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

}
