package io.servinglayer.controlplane.outcomes;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.servinglayer.controlplane.deployment.DeploymentService;
import io.servinglayer.controlplane.leader.LeaderLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Copies the gateways' outcome counters out of Redis, where they live for hours, into
 * PostgreSQL per minute, so SLO windows of weeks can be read. Only the leader does it.
 * Each pass rewrites the minutes since a little before where the last one stopped (a
 * gateway's late flush lands in a minute already copied), and starts no further back than
 * Redis keeps: a leader away for longer than that loses the minutes in between, and the
 * SLOs read them as no traffic.
 */
@Component
class OutcomeRollup {

	private static final Logger logger = LoggerFactory.getLogger(OutcomeRollup.class);

	/** Minutes before the last pass's end that are read again. */
	private static final int REWRITTEN_MINUTES = 2;

	private final OutcomeBuckets buckets;

	private final OutcomeHistory history;

	private final DeploymentService deployments;

	private final LeaderLease lease;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final JsonMapper json;

	private final OutcomeProperties properties;

	private final Clock clock;

	OutcomeRollup(OutcomeBuckets buckets, OutcomeHistory history, DeploymentService deployments, LeaderLease lease,
			JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json, OutcomeProperties properties,
			Clock clock) {
		this.buckets = buckets;
		this.history = history;
		this.deployments = deployments;
		this.lease = lease;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.json = json;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${servinglayer.control-plane.outcomes.rollup-every:30s}",
			initialDelayString = "${servinglayer.control-plane.outcomes.rollup-every:30s}")
	void scheduled() {
		if (!this.lease.isLeader()) {
			return;
		}
		try {
			rollUp();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not roll outcome counters up into PostgreSQL; the next pass tries again: {}",
					ex.getMessage());
		}
	}

	/** One pass; the end of what it copied. */
	Instant rollUp() {
		Instant now = this.clock.instant();
		long end = minuteOf(now.minus(this.properties.settle()));
		long oldest = minuteOf(now.minus(this.properties.redisTtl())) + 60;
		long start = this.history.rolledUpTo()
			.map((to) -> to.getEpochSecond() - REWRITTEN_MINUTES * 60L)
			.orElse(oldest);
		start = Math.max(start, oldest);
		if (start >= end) {
			return Instant.ofEpochSecond(end);
		}
		int perMinute = (int) (60 / this.properties.bucket().toSeconds());
		Map<String, Set<Integer>> routed = this.deployments
			.versionsRoutedSince(Instant.ofEpochSecond(start).minus(this.properties.settle()));
		long from = start;
		this.transactions.executeWithoutResult((status) -> {
			if (!this.lease.holdsIn()) {
				return;
			}
			routed.forEach((deployment, versions) -> versions.forEach((version) -> {
				List<OutcomeCounts> minutes = this.buckets.read(deployment, version, from, end, perMinute);
				for (int i = 0; i < minutes.size(); i++) {
					write(deployment, version, from + i * 60L, minutes.get(i));
				}
			}));
			this.jdbc
				.sql("""
						INSERT INTO outcome_rollup_state (id, rolled_up_to) VALUES (1, ?)
						ON CONFLICT (id) DO UPDATE SET rolled_up_to = greatest(outcome_rollup_state.rolled_up_to, EXCLUDED.rolled_up_to)""")
				.param(utc(Instant.ofEpochSecond(end)))
				.update();
			this.jdbc.sql("DELETE FROM outcome_minute WHERE minute < ?")
				.param(utc(now.minus(this.properties.retention())))
				.update();
		});
		return Instant.ofEpochSecond(end);
	}

	private void write(String deployment, int version, long minute, OutcomeCounts counts) {
		if (counts.requests() == 0 && counts.latency().isEmpty()) {
			this.jdbc.sql("DELETE FROM outcome_minute WHERE deployment = ? AND version = ? AND minute = ?")
				.params(deployment, version, utc(Instant.ofEpochSecond(minute)))
				.update();
			return;
		}
		this.jdbc.sql("""
				INSERT INTO outcome_minute (deployment, version, minute, requests, errors, timeouts, latency)
				VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)
				ON CONFLICT (deployment, version, minute) DO UPDATE
				  SET requests = EXCLUDED.requests, errors = EXCLUDED.errors, timeouts = EXCLUDED.timeouts,
				      latency = EXCLUDED.latency""")
			.params(deployment, version, utc(Instant.ofEpochSecond(minute)), counts.requests(), counts.errors(),
					counts.timeouts(), this.json.writeValueAsString(counts.latency()))
			.update();
	}

	private static long minuteOf(Instant instant) {
		long seconds = instant.getEpochSecond();
		return seconds - Math.floorMod(seconds, 60);
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
