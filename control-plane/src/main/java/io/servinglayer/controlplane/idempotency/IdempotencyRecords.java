package io.servinglayer.controlplane.idempotency;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class IdempotencyRecords {

	private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	IdempotencyRecords(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * Claims the key for this request. When another transaction holds the same key,
	 * PostgreSQL makes this wait until that one commits or rolls back, so a retry never
	 * runs beside the original.
	 * @return whether the key was free
	 */
	boolean claim(String scope, String key, String method, String path, String requestHash, Instant now) {
		return this.jdbc.sql("""
				INSERT INTO idempotency_record (scope, idempotency_key, method, path, request_hash, status, created_at)
				VALUES (?, ?, ?, ?, ?, 0, ?)
				ON CONFLICT (scope, idempotency_key) DO NOTHING""")
			.params(scope, key, method, path, requestHash, now.atOffset(ZoneOffset.UTC))
			.update() == 1;
	}

	void complete(String scope, String key, int status, Map<String, String> headers, byte[] body, boolean replayable) {
		this.jdbc.sql("""
				UPDATE idempotency_record SET status = ?, headers = ?::jsonb, body = ?, replayable = ?
				WHERE scope = ? AND idempotency_key = ?""")
			.params(status, this.json.writeValueAsString(headers), body, replayable, scope, key)
			.update();
	}

	Optional<IdempotencyRecord> find(String scope, String key) {
		return this.jdbc.sql(
				"SELECT request_hash, status, headers, body, replayable FROM idempotency_record WHERE scope = ? AND idempotency_key = ?")
			.params(scope, key)
			.query((rs, row) -> new IdempotencyRecord(rs.getString("request_hash"), rs.getInt("status"),
					this.json.readValue(rs.getString("headers"), HEADERS), rs.getBytes("body"),
					rs.getBoolean("replayable")))
			.optional();
	}

	int deleteOlderThan(Instant cutoff) {
		return this.jdbc.sql("DELETE FROM idempotency_record WHERE created_at < ?")
			.param(OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
			.update();
	}

}
