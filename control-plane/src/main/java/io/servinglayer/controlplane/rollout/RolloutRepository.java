package io.servinglayer.controlplane.rollout;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class RolloutRepository {

	private static final String ACTIVE = "('Pending', 'Progressing', 'Paused')";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	RolloutRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/** Inserts a pending rollout; empty when the deployment already has one not ended. */
	Optional<Long> insert(String deployment, int version, int stableVersion, RolloutRequest plan, String actor,
			Instant now) {
		return this.jdbc.sql("""
				INSERT INTO rollout (deployment, version, stable_version, plan, state, current_step, reason,
				                     created_by, created_at, updated_at)
				VALUES (?, ?, ?, ?::jsonb, 'Pending', -1, 'waiting-for-warm', ?, ?, ?)
				ON CONFLICT (deployment) WHERE state IN """ + ACTIVE + " DO NOTHING RETURNING id")
			.params(deployment, version, stableVersion, this.json.writeValueAsString(plan), actor, utc(now), utc(now))
			.query(Long.class)
			.optional();
	}

	Optional<Rollout> find(String deployment, long id) {
		return this.jdbc.sql("SELECT * FROM rollout WHERE deployment = ? AND id = ?")
			.params(deployment, id)
			.query(this::rollout)
			.optional();
	}

	Optional<Rollout> findForUpdate(String deployment, long id) {
		return this.jdbc.sql("SELECT * FROM rollout WHERE deployment = ? AND id = ? FOR UPDATE")
			.params(deployment, id)
			.query(this::rollout)
			.optional();
	}

	/** The deployment's rollout that has not ended, locked. */
	Optional<Rollout> activeForUpdate(String deployment) {
		return this.jdbc.sql("SELECT * FROM rollout WHERE deployment = ? AND state IN " + ACTIVE + " FOR UPDATE")
			.param(deployment)
			.query(this::rollout)
			.optional();
	}

	/** Rollouts that have not ended, oldest first. */
	List<Rollout> active() {
		return this.jdbc.sql("SELECT * FROM rollout WHERE state IN " + ACTIVE + " ORDER BY id")
			.query(this::rollout)
			.list();
	}

	/** Promoted rollouts whose old stable version's warm time is over. */
	List<Rollout> warmTimeOver(Instant now) {
		return this.jdbc.sql("SELECT * FROM rollout WHERE keep_warm_until IS NOT NULL AND keep_warm_until <= ?")
			.param(utc(now))
			.query(this::rollout)
			.list();
	}

	List<Rollout> list(String deployment, Long beforeId, int limit) {
		return this.jdbc
			.sql("SELECT * FROM rollout WHERE deployment = ? AND (CAST(? AS bigint) IS NULL OR id < ?) "
					+ "ORDER BY id DESC LIMIT ?")
			.params(deployment, beforeId, beforeId, limit)
			.query(this::rollout)
			.list();
	}

	/** The states of these rollouts, for waiters. */
	List<Rollout> byIds(List<Long> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("SELECT * FROM rollout WHERE id = ANY (?)")
			.param(ids.toArray(Long[]::new))
			.query(this::rollout)
			.list();
	}

	void update(Rollout rollout) {
		this.jdbc.sql("""
				UPDATE rollout SET state = ?, current_step = ?, step_started_at = ?, step_extensions = ?, reason = ?,
				                   keep_warm_until = ?, updated_at = ?, finished_at = ?
				WHERE id = ?""")
			.params(rollout.state().name(), rollout.currentStep(), utc(rollout.stepStartedAt()),
					rollout.stepExtensions(), rollout.reason(), utc(rollout.keepWarmUntil()), utc(rollout.updatedAt()),
					utc(rollout.finishedAt()), rollout.id())
			.update();
	}

	void recordDecision(long rolloutId, RolloutDecision decision) {
		RolloutDecision.Side canary = decision.canary();
		RolloutDecision.Side stable = decision.stable();
		this.jdbc.sql("""
				INSERT INTO rollout_decision (rollout_id, seq, step, weight, verdict, reason, window_start, window_end,
				    canary_requests, canary_errors, canary_p99_ms, stable_requests, stable_errors, stable_p99_ms,
				    burn_rate, decided_by, decided_at)
				VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM rollout_decision WHERE rollout_id = ?),
				        ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(rolloutId, rolloutId, decision.step(), decision.weight(), decision.verdict(), decision.reason(),
					utc(decision.windowStart()), utc(decision.windowEnd()), (canary != null) ? canary.requests() : null,
					(canary != null) ? canary.errors() : null, (canary != null) ? canary.p99Ms() : null,
					(stable != null) ? stable.requests() : null, (stable != null) ? stable.errors() : null,
					(stable != null) ? stable.p99Ms() : null, decision.burnRate(), decision.decidedBy(),
					utc(decision.decidedAt()))
			.update();
	}

	List<RolloutDecision> decisions(long rolloutId) {
		return decisions(List.of(rolloutId)).getOrDefault(rolloutId, List.of());
	}

	/** The decisions of each of these rollouts, in order, read in one query. */
	Map<Long, List<RolloutDecision>> decisions(List<Long> rolloutIds) {
		Map<Long, List<RolloutDecision>> decisions = new HashMap<>();
		if (rolloutIds.isEmpty()) {
			return decisions;
		}
		this.jdbc.sql("SELECT * FROM rollout_decision WHERE rollout_id = ANY (?) ORDER BY rollout_id, seq")
			.param(rolloutIds.toArray(Long[]::new))
			.query((rs) -> {
				decisions.computeIfAbsent(rs.getLong("rollout_id"), (id) -> new ArrayList<>())
					.add(new RolloutDecision(rs.getInt("seq"), rs.getInt("step"), rs.getInt("weight"),
							rs.getString("verdict"), rs.getString("reason"), instant(rs, "window_start"),
							instant(rs, "window_end"), side(rs, "canary"), side(rs, "stable"),
							rs.getObject("burn_rate", Double.class), rs.getString("decided_by"),
							instant(rs, "decided_at")));
			});
		return decisions;
	}

	private static RolloutDecision.Side side(ResultSet rs, String prefix) throws SQLException {
		Long requests = rs.getObject(prefix + "_requests", Long.class);
		if (requests == null) {
			return null;
		}
		return new RolloutDecision.Side(requests, rs.getLong(prefix + "_errors"),
				rs.getObject(prefix + "_p99_ms", Double.class));
	}

	private Rollout rollout(ResultSet rs, int row) throws SQLException {
		return new Rollout(rs.getLong("id"), rs.getString("deployment"), rs.getInt("version"),
				rs.getInt("stable_version"), this.json.readValue(rs.getString("plan"), RolloutRequest.class),
				RolloutState.valueOf(rs.getString("state")), rs.getInt("current_step"), instant(rs, "step_started_at"),
				rs.getInt("step_extensions"), rs.getString("reason"), instant(rs, "keep_warm_until"),
				rs.getString("created_by"), instant(rs, "created_at"), instant(rs, "updated_at"),
				instant(rs, "finished_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime utc(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

}
