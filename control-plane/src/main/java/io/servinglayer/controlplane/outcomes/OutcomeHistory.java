package io.servinglayer.controlplane.outcomes;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What a version's requests came to over a window, from the gateways' outcome counters:
 * minutes already rolled up are read from PostgreSQL, the rest from Redis.
 */
@Component
public class OutcomeHistory {

	private final OutcomeBuckets buckets;

	private final JdbcClient jdbc;

	private final OutcomeProperties properties;

	OutcomeHistory(OutcomeBuckets buckets, JdbcClient jdbc, OutcomeProperties properties) {
		this.buckets = buckets;
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/** The gateways' latency bucket bounds, in milliseconds. */
	public List<Integer> latencyBoundsMs() {
		return this.properties.latencyBoundsMs();
	}

	/**
	 * The counts of the buckets from the one {@code from} falls in up to {@code to}, from
	 * Redis alone: for windows within the hours Redis keeps, such as a rollout step's.
	 */
	public OutcomeCounts recent(String deployment, int version, Instant from, Instant to) {
		return this.buckets.sum(deployment, version, this.buckets.bucketOf(from), to.getEpochSecond());
	}

	/**
	 * The counts over [{@code from}, {@code to}) at a minute's precision, for windows of
	 * any length up to the roll-up's retention: PostgreSQL up to where the roll-up has
	 * reached, Redis after.
	 */
	public OutcomeCounts over(String deployment, int version, Instant from, Instant to) {
		return over(deployment, version, from, to, rolledUpTo().orElse(null));
	}

	/**
	 * As {@link #over(String, int, Instant, Instant)}, with where the roll-up stands read
	 * once by the caller ({@link #rolledUpTo()}) for many windows.
	 * @param rolledUpTo where the roll-up has reached, {@code null} before the first one
	 */
	public OutcomeCounts over(String deployment, int version, Instant from, Instant to, Instant rolledUpTo) {
		OutcomeCounts counts = OutcomeCounts.NONE;
		long fromMinute = from.getEpochSecond() - Math.floorMod(from.getEpochSecond(), 60);
		if (rolledUpTo != null && rolledUpTo.getEpochSecond() > fromMinute) {
			Instant end = rolledUpTo.isBefore(to) ? rolledUpTo : to;
			counts = counts.plus(rolledUp(deployment, version, Instant.ofEpochSecond(fromMinute), end));
		}
		// Redis is read only over the hours it keeps buckets: before the first roll-up
		// (or
		// after a long time without a leader) a window of weeks would otherwise ask it
		// for
		// every 10-second bucket since the window's start, hundreds of thousands of keys
		// that expired long ago, in one pipeline that outlasts the Redis timeout.
		long redisFrom = Math.max(
				Math.max(this.buckets.bucketOf(from), this.buckets.bucketOf(to.minus(this.properties.redisTtl()))),
				(rolledUpTo != null) ? rolledUpTo.getEpochSecond() : Long.MIN_VALUE);
		if (redisFrom < to.getEpochSecond()) {
			counts = counts.plus(this.buckets.sum(deployment, version, redisFrom, to.getEpochSecond()));
		}
		return counts;
	}

	public Optional<Instant> rolledUpTo() {
		return this.jdbc.sql("SELECT rolled_up_to FROM outcome_rollup_state WHERE id = 1")
			.query((rs, row) -> rs.getObject(1, OffsetDateTime.class).toInstant())
			.optional();
	}

	private OutcomeCounts rolledUp(String deployment, int version, Instant from, Instant to) {
		Object[] window = { deployment, version, utc(from), utc(to) };
		OutcomeCounts totals = this.jdbc.sql("""
				SELECT coalesce(sum(requests), 0) AS requests, coalesce(sum(errors), 0) AS errors,
				       coalesce(sum(timeouts), 0) AS timeouts
				FROM outcome_minute WHERE deployment = ? AND version = ? AND minute >= ? AND minute < ?""")
			.params(window)
			.query((rs, row) -> new OutcomeCounts(rs.getLong("requests"), rs.getLong("errors"), rs.getLong("timeouts"),
					Map.of()))
			.single();
		Map<String, Long> latency = new LinkedHashMap<>();
		this.jdbc.sql("""
				SELECT l.key, sum(l.value::bigint) AS count
				FROM outcome_minute, jsonb_each_text(latency) AS l
				WHERE deployment = ? AND version = ? AND minute >= ? AND minute < ?
				GROUP BY l.key""").params(window).query((rs) -> {
			latency.put(rs.getString("key"), rs.getLong("count"));
		});
		return new OutcomeCounts(totals.requests(), totals.errors(), totals.timeouts(), latency);
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
