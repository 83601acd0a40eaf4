package io.servinglayer.controlplane.audit;

import java.time.Clock;
import java.time.OffsetDateTime;

import io.servinglayer.controlplane.system.CurrentActor;
import io.servinglayer.controlplane.system.RequestIds;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes audit events. Every mutation calls {@link #record} inside its own transaction,
 * so the event exists exactly when the change does.
 */
@Component
public class AuditLog {

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final CurrentActor actor;

	private final Clock clock;

	AuditLog(JdbcClient jdbc, JsonMapper json, CurrentActor actor, Clock clock) {
		this.jdbc = jdbc;
		this.json = json;
		this.actor = actor;
		this.clock = clock;
	}

	/**
	 * Records a change made by the current request's actor.
	 * @param before the target's representation before the change, {@code null} for a
	 * creation
	 * @param after the target's representation after the change, {@code null} for a
	 * deletion
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void record(String action, String targetType, String target, Object before, Object after) {
		this.jdbc.sql("""
				INSERT INTO audit_event (occurred_at, actor, action, target_type, target, before, after, request_id)
				VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)""")
			.params(OffsetDateTime.now(this.clock), this.actor.name(), action, targetType, target, toJson(before),
					toJson(after), RequestIds.current())
			.update();
	}

	private String toJson(Object value) {
		return (value != null) ? this.json.writeValueAsString(value) : null;
	}

}
