package io.servinglayer.controlplane.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ModelRepository {

	private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	ModelRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	Optional<Model> find(String name) {
		return this.jdbc.sql("SELECT * FROM model WHERE name = ?").param(name).query(this::model).optional();
	}

	/** Reads the model and locks its row to the end of the transaction. */
	Optional<Model> findForUpdate(String name) {
		return this.jdbc.sql("SELECT * FROM model WHERE name = ? FOR UPDATE").param(name).query(this::model).optional();
	}

	void lockShared(String name) {
		this.jdbc.sql("SELECT id FROM model WHERE name = ? FOR SHARE").param(name).query(Long.class).optional();
	}

	/** Inserts a model unless the name is taken; the inserted model, or empty. */
	Optional<Model> insert(String name, String description, String owner, Map<String, String> tags, String createdBy,
			Instant now) {
		return this.jdbc.sql("""
				INSERT INTO model (name, description, owner, tags, created_by, created_at, updated_at)
				VALUES (?, ?, ?, ?::jsonb, ?, ?, ?)
				ON CONFLICT (name) DO NOTHING
				RETURNING *""")
			.params(name, description, owner, this.json.writeValueAsString(tags), createdBy, utc(now), utc(now))
			.query(this::model)
			.optional();
	}

	/** Writes the editable fields of a model locked by {@link #findForUpdate}. */
	Model update(long id, String description, String owner, Map<String, String> tags, Instant now) {
		return this.jdbc.sql("""
				UPDATE model SET description = ?, owner = ?, tags = ?::jsonb, updated_at = ?, revision = revision + 1
				WHERE id = ?
				RETURNING *""")
			.params(description, owner, this.json.writeValueAsString(tags), utc(now), id)
			.query(this::model)
			.single();
	}

	/** Archives a model locked by {@link #findForUpdate}. */
	Model archive(long id, Instant now) {
		return this.jdbc.sql("""
				UPDATE model SET archived_at = ?, updated_at = ?, revision = revision + 1
				WHERE id = ?
				RETURNING *""").params(utc(now), utc(now), id).query(this::model).single();
	}

	/**
	 * Hands out the model's next version number. The row lock this takes is held to the
	 * end of the caller's transaction, so concurrent uploads get distinct numbers, and a
	 * rolled-back upload gives its number back.
	 */
	int nextVersion(long id) {
		return this.jdbc.sql("UPDATE model SET last_version = last_version + 1 WHERE id = ? RETURNING last_version")
			.param(id)
			.query(Integer.class)
			.single();
	}

	/**
	 * Models by name after {@code afterName}; with {@code tagKey}, only those carrying
	 * that tag (and {@code tagValue}, when given).
	 */
	List<Model> list(String afterName, String tagKey, String tagValue, boolean includeArchived, int limit) {
		StringBuilder sql = new StringBuilder("SELECT * FROM model WHERE true");
		List<Object> params = new ArrayList<>();
		if (afterName != null) {
			sql.append(" AND name > ?");
			params.add(afterName);
		}
		if (tagKey != null && tagValue != null) {
			sql.append(" AND tags @> ?::jsonb");
			params.add(this.json.writeValueAsString(Map.of(tagKey, tagValue)));
		}
		else if (tagKey != null) {
			sql.append(" AND jsonb_exists(tags, ?)");
			params.add(tagKey);
		}
		if (!includeArchived) {
			sql.append(" AND archived_at IS NULL");
		}
		sql.append(" ORDER BY name LIMIT ?");
		params.add(limit);
		return this.jdbc.sql(sql.toString()).params(params).query(this::model).list();
	}

	private Model model(ResultSet rs, int row) throws SQLException {
		OffsetDateTime archivedAt = rs.getObject("archived_at", OffsetDateTime.class);
		return new Model(rs.getLong("id"), rs.getString("name"), rs.getString("description"), rs.getString("owner"),
				this.json.readValue(rs.getString("tags"), TAGS), (archivedAt != null) ? archivedAt.toInstant() : null,
				rs.getInt("last_version"), rs.getLong("revision"), rs.getString("created_by"),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("updated_at", OffsetDateTime.class).toInstant());
	}

	static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
