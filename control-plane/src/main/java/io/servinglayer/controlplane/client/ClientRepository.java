package io.servinglayer.controlplane.client;

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
class ClientRepository {

	private static final TypeReference<List<String>> SCOPES = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	ClientRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	Optional<ApiClient> find(String clientId) {
		return this.jdbc.sql("SELECT * FROM api_client WHERE client_id = ?")
			.param(clientId)
			.query(this::client)
			.optional();
	}

	Optional<ApiClient> findForUpdate(String clientId) {
		return this.jdbc.sql("SELECT * FROM api_client WHERE client_id = ? FOR UPDATE")
			.param(clientId)
			.query(this::client)
			.optional();
	}

	List<ApiClient> all() {
		return this.jdbc.sql("SELECT * FROM api_client ORDER BY client_id").query(this::client).list();
	}

	List<ApiClient> list(String afterClientId, int limit) {
		return this.jdbc
			.sql("SELECT * FROM api_client WHERE (CAST(? AS text) IS NULL OR client_id > ?) ORDER BY client_id LIMIT ?")
			.params(afterClientId, afterClientId, limit)
			.query(this::client)
			.list();
	}

	boolean insert(String clientId, String description, String tenant, List<String> scopes, RatePlan plan,
			String secretHash, String createdBy, Instant now) {
		return this.jdbc.sql("""
				INSERT INTO api_client (client_id, description, tenant, scopes, requests_per_second, burst, daily_quota,
				                        secret_hash, created_by, created_at, updated_at)
				VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (client_id) DO NOTHING""")
			.params(clientId, description, tenant, this.json.writeValueAsString(scopes), plan.requestsPerSecond(),
					plan.burst(), plan.dailyQuota(), secretHash, createdBy, utc(now), utc(now))
			.update() == 1;
	}

	void update(String clientId, String description, String tenant, List<String> scopes, RatePlan plan, Instant now) {
		this.jdbc
			.sql("""
					UPDATE api_client SET description = ?, tenant = ?, scopes = ?::jsonb, requests_per_second = ?, burst = ?,
					       daily_quota = ?, updated_at = ?, revision = revision + 1
					WHERE client_id = ?""")
			.params(description, tenant, this.json.writeValueAsString(scopes), plan.requestsPerSecond(), plan.burst(),
					plan.dailyQuota(), utc(now), clientId)
			.update();
	}

	void rotateSecret(String clientId, String newHash, Instant previousExpiresAt, Instant now) {
		this.jdbc
			.sql("""
					UPDATE api_client SET previous_secret_hash = secret_hash, previous_secret_expires_at = ?, secret_hash = ?,
					       failed_attempts = 0, locked_until = NULL, updated_at = ?, revision = revision + 1
					WHERE client_id = ?""")
			.params(utc(previousExpiresAt), newHash, utc(now), clientId)
			.update();
	}

	void setDisabled(String clientId, Instant disabledAt, Instant now) {
		this.jdbc
			.sql("UPDATE api_client SET disabled_at = ?, updated_at = ?, revision = revision + 1 WHERE client_id = ?")
			.params((disabledAt != null) ? utc(disabledAt) : null, utc(now), clientId)
			.update();
	}

	/** Counts one more failed token request; the count after it. */
	int recordFailure(String clientId) {
		return this.jdbc.sql(
				"UPDATE api_client SET failed_attempts = failed_attempts + 1 WHERE client_id = ? RETURNING failed_attempts")
			.param(clientId)
			.query(Integer.class)
			.single();
	}

	void lockUntil(String clientId, Instant until) {
		this.jdbc.sql("UPDATE api_client SET locked_until = ? WHERE client_id = ?")
			.params(utc(until), clientId)
			.update();
	}

	void clearFailures(String clientId) {
		this.jdbc.sql(
				"UPDATE api_client SET failed_attempts = 0, locked_until = NULL WHERE client_id = ? AND failed_attempts > 0")
			.param(clientId)
			.update();
	}

	private ApiClient client(ResultSet rs, int row) throws SQLException {
		long quota = rs.getLong("daily_quota");
		Long dailyQuota = rs.wasNull() ? null : quota;
		return new ApiClient(rs.getString("client_id"), rs.getString("description"), rs.getString("tenant"),
				this.json.readValue(rs.getString("scopes"), SCOPES),
				new RatePlan(rs.getDouble("requests_per_second"), rs.getInt("burst"), dailyQuota),
				rs.getString("secret_hash"), rs.getString("previous_secret_hash"),
				instant(rs, "previous_secret_expires_at"), instant(rs, "disabled_at"), rs.getInt("failed_attempts"),
				instant(rs, "locked_until"), rs.getLong("revision"), rs.getString("created_by"),
				instant(rs, "created_at"), instant(rs, "updated_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
