package io.servinglayer.controlplane.deployment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class DeploymentRepository {

	private final JdbcClient jdbc;

	private final JsonMapper json;

	DeploymentRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	Optional<Deployment> find(String name) {
		return this.jdbc.sql("SELECT * FROM deployment WHERE name = ?").param(name).query(this::deployment).optional();
	}

	Optional<Deployment> findForUpdate(String name) {
		return this.jdbc.sql("SELECT * FROM deployment WHERE name = ? FOR UPDATE")
			.param(name)
			.query(this::deployment)
			.optional();
	}

	List<Deployment> all() {
		return this.jdbc.sql("SELECT * FROM deployment ORDER BY name").query(this::deployment).list();
	}

	List<Deployment> list(String afterName, int limit) {
		return this.jdbc
			.sql("SELECT * FROM deployment WHERE (CAST(? AS text) IS NULL OR name > ?) ORDER BY name LIMIT ?")
			.params(afterName, afterName, limit)
			.query(this::deployment)
			.list();
	}

	/** Inserts unless the name is taken; says whether it did. */
	boolean insert(String name, long modelId, DeploymentSpec spec, String salt, String actor, Instant now) {
		return this.jdbc
			.sql("""
					INSERT INTO deployment (name, model_id, spec, revision, salt, created_by, created_at, updated_by, updated_at)
					VALUES (?, ?, ?::jsonb, 1, ?, ?, ?, ?, ?)
					ON CONFLICT (name) DO NOTHING""")
			.params(name, modelId, this.json.writeValueAsString(spec), salt, actor, utc(now), actor, utc(now))
			.update() == 1;
	}

	void update(String name, long modelId, DeploymentSpec spec, String actor, Instant now) {
		this.jdbc
			.sql("""
					UPDATE deployment SET model_id = ?, spec = ?::jsonb, revision = revision + 1, updated_by = ?, updated_at = ?
					WHERE name = ?""")
			.params(modelId, this.json.writeValueAsString(spec), actor, utc(now), name)
			.update();
	}

	void recordHistory(Deployment deployment, long routingRevision) {
		this.jdbc.sql("""
				INSERT INTO deployment_history (name, revision, spec, routing_revision, changed_by, changed_at)
				VALUES (?, ?, ?::jsonb, ?, ?, ?)""")
			.params(deployment.name(), deployment.revision(), this.json.writeValueAsString(deployment.spec()),
					routingRevision, deployment.updatedBy(), utc(deployment.updatedAt()))
			.update();
	}

	/**
	 * The specs each deployment has had since {@code since}: every state recorded since,
	 * and the one in effect at {@code since}.
	 */
	List<Deployment> statesSince(Instant since) {
		return this.jdbc
			.sql("""
					SELECT h.name, h.spec FROM deployment_history h
					WHERE h.changed_at >= ?
					   OR h.revision = (SELECT max(revision) FROM deployment_history e WHERE e.name = h.name AND e.changed_at < ?)
					ORDER BY h.name, h.revision""")
			.params(utc(since), utc(since))
			.query((rs, row) -> new Deployment(rs.getString("name"),
					this.json.readValue(rs.getString("spec"), DeploymentSpec.class), 0, null, null, null, null, null))
			.list();
	}

	/** Earlier states, newest first. */
	List<DeploymentHistoryEntry> history(String name) {
		return this.jdbc.sql("SELECT * FROM deployment_history WHERE name = ? ORDER BY revision DESC")
			.param(name)
			.query((rs, row) -> new DeploymentHistoryEntry(rs.getLong("revision"),
					this.json.readValue(rs.getString("spec"), DeploymentSpec.class), rs.getLong("routing_revision"),
					rs.getString("changed_by"), rs.getObject("changed_at", OffsetDateTime.class).toInstant()))
			.list();
	}

	private Deployment deployment(ResultSet rs, int row) throws SQLException {
		return new Deployment(rs.getString("name"), this.json.readValue(rs.getString("spec"), DeploymentSpec.class),
				rs.getLong("revision"), rs.getString("salt"), rs.getString("created_by"),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getString("updated_by"),
				rs.getObject("updated_at", OffsetDateTime.class).toInstant());
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
