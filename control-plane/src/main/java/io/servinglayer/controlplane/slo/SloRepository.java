package io.servinglayer.controlplane.slo;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class SloRepository {

	private static final TypeReference<List<Objective>> OBJECTIVES = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	SloRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	Optional<DeploymentSlos> find(String deployment) {
		return this.jdbc.sql("SELECT * FROM slo WHERE deployment = ?").param(deployment).query(this::slos).optional();
	}

	Optional<DeploymentSlos> findForUpdate(String deployment) {
		return this.jdbc.sql("SELECT * FROM slo WHERE deployment = ? FOR UPDATE")
			.param(deployment)
			.query(this::slos)
			.optional();
	}

	List<DeploymentSlos> all() {
		return this.jdbc.sql("SELECT * FROM slo ORDER BY deployment").query(this::slos).list();
	}

	/** Inserts unless the deployment has SLOs already; says whether it did. */
	boolean insert(String deployment, List<Objective> objectives, String actor, Instant now) {
		return this.jdbc.sql("""
				INSERT INTO slo (deployment, objectives, revision, updated_by, updated_at)
				VALUES (?, ?::jsonb, 1, ?, ?)
				ON CONFLICT (deployment) DO NOTHING""")
			.params(deployment, this.json.writeValueAsString(objectives), actor, utc(now))
			.update() == 1;
	}

	void update(String deployment, List<Objective> objectives, String actor, Instant now) {
		this.jdbc.sql("""
				UPDATE slo SET objectives = ?::jsonb, revision = revision + 1, updated_by = ?, updated_at = ?
				WHERE deployment = ?""")
			.params(this.json.writeValueAsString(objectives), actor, utc(now), deployment)
			.update();
	}

	void recordHistory(DeploymentSlos slos) {
		this.jdbc.sql("""
				INSERT INTO slo_history (deployment, revision, objectives, changed_by, changed_at)
				VALUES (?, ?, ?::jsonb, ?, ?)""")
			.params(slos.deployment(), slos.revision(), this.json.writeValueAsString(slos.objectives()),
					slos.updatedBy(), utc(slos.updatedAt()))
			.update();
	}

	private DeploymentSlos slos(ResultSet rs, int row) throws SQLException {
		return new DeploymentSlos(rs.getString("deployment"),
				this.json.readValue(rs.getString("objectives"), OBJECTIVES), rs.getLong("revision"),
				rs.getString("updated_by"), rs.getObject("updated_at", OffsetDateTime.class).toInstant());
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
