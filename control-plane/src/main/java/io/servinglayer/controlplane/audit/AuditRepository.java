package io.servinglayer.controlplane.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class AuditRepository {

	private final JdbcClient jdbc;

	private final JsonMapper json;

	AuditRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/** Newest first, starting below {@code beforeId} when given. */
	List<AuditEvent> find(AuditQuery query, Long beforeId, int limit) {
		StringBuilder sql = new StringBuilder("SELECT * FROM audit_event WHERE true");
		List<Object> params = new ArrayList<>();
		condition(sql, params, "actor = ?", query.actor());
		condition(sql, params, "action = ?", query.action());
		condition(sql, params, "target_type = ?", query.targetType());
		condition(sql, params, "target = ?", query.target());
		condition(sql, params, "occurred_at >= ?",
				(query.since() != null) ? query.since().atOffset(ZoneOffset.UTC) : null);
		condition(sql, params, "occurred_at < ?",
				(query.until() != null) ? query.until().atOffset(ZoneOffset.UTC) : null);
		condition(sql, params, "id < ?", beforeId);
		sql.append(" ORDER BY id DESC LIMIT ?");
		params.add(limit);
		return this.jdbc.sql(sql.toString()).params(params).query(this::event).list();
	}

	private static void condition(StringBuilder sql, List<Object> params, String clause, Object value) {
		if (value != null) {
			sql.append(" AND ").append(clause);
			params.add(value);
		}
	}

	private AuditEvent event(ResultSet rs, int row) throws SQLException {
		return new AuditEvent(rs.getLong("id"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
				rs.getString("actor"), rs.getString("action"), rs.getString("target_type"), rs.getString("target"),
				node(rs.getString("before")), node(rs.getString("after")), rs.getString("request_id"));
	}

	private JsonNode node(String value) {
		return (value != null) ? this.json.readTree(value) : null;
	}

}
