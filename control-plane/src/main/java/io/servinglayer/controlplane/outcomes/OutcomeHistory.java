package io.servinglayer.controlplane.outcomes;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
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

	/**
	 * Where {@code points} intervals of equal length that cover at least the last
	 * {@code window} before {@code now} fall, for {@link #series}. Each interval is a
	 * whole number of buckets, so the intervals are never finer than the buckets and
	 * there are fewer of them when the window holds fewer buckets than {@code points}.
	 * The last one ends where the bucket {@code now} falls in starts: a bucket still
	 * filling would read as a drop in traffic. A window that reaches back past the hours
	 * Redis keeps is read from the minutes rolled up into PostgreSQL there, so its
	 * intervals are whole minutes.
	 * @throws IllegalArgumentException when {@code points} is below 1 or the window is
	 * not positive
	 */
	public Grid grid(Duration window, int points, Instant now) {
		if (points < 1 || window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException(
					"a grid needs a positive window and at least 1 point, got " + window + " and " + points);
		}
		long width = this.properties.bucket().toSeconds();
		long ttl = this.properties.redisTtl().toSeconds();
		Grid recent = grid(window.toSeconds(), points, now.getEpochSecond(), width, Long.MIN_VALUE);
		// A minute's margin: the oldest buckets are about to expire.
		if (recent.start().getEpochSecond() >= now.getEpochSecond() - ttl + 60) {
			return recent;
		}
		long oldestKept = now.getEpochSecond() - ttl;
		long redisFrom = oldestKept - Math.floorMod(oldestKept, 60) + 120;
		return grid(window.toSeconds(), points, now.getEpochSecond(), 60, redisFrom);
	}

	private Grid grid(long windowSeconds, int points, long now, long unit, long redisFrom) {
		long end = now - Math.floorMod(now, unit);
		long step = Math.max(1, ceilDiv(ceilDiv(windowSeconds, points), unit)) * unit;
		int intervals = (int) ceilDiv(windowSeconds, step);
		long start = end - step * intervals;
		return new Grid(Instant.ofEpochSecond(start), Duration.ofSeconds(step), intervals,
				Instant.ofEpochSecond(Math.min(Math.max(start, redisFrom), end)));
	}

	/**
	 * The counts of each of the grid's intervals, in order: Redis's buckets from
	 * {@link Grid#redisFrom()} on, the minutes rolled up into PostgreSQL before it (one
	 * query and one pipeline in all). Minutes the roll-up has not copied and Redis no
	 * longer keeps read as no traffic, as in {@link #over}.
	 */
	public List<OutcomeCounts> series(String deployment, int version, Grid grid) {
		List<OutcomeCounts> series = new ArrayList<>(Collections.nCopies(grid.intervals(), OutcomeCounts.NONE));
		long start = grid.start().getEpochSecond();
		long step = grid.step().toSeconds();
		long redisFrom = grid.redisFrom().getEpochSecond();
		if (redisFrom > start) {
			rolledUpMinutes(deployment, version, grid.start(), grid.redisFrom())
				.forEach((minute, counts) -> add(series, (int) ((minute - start) / step), counts));
		}
		long width = this.properties.bucket().toSeconds();
		List<OutcomeCounts> buckets = this.buckets.read(deployment, version, redisFrom, grid.end().getEpochSecond(), 1);
		for (int i = 0; i < buckets.size(); i++) {
			add(series, (int) ((redisFrom + i * width - start) / step), buckets.get(i));
		}
		return series;
	}

	private static long ceilDiv(long dividend, long divisor) {
		return -Math.floorDiv(-dividend, divisor);
	}

	private static void add(List<OutcomeCounts> series, int index, OutcomeCounts counts) {
		series.set(index, series.get(index).plus(counts));
	}

	/**
	 * Each rolled-up minute in [{@code from}, {@code to}), by its start (epoch seconds).
	 */
	private Map<Long, OutcomeCounts> rolledUpMinutes(String deployment, int version, Instant from, Instant to) {
		Map<Long, OutcomeCounts> minutes = new LinkedHashMap<>();
		this.jdbc.sql("""
				SELECT m.minute, m.requests, m.errors, m.timeouts, l.key, l.value
				FROM outcome_minute m LEFT JOIN LATERAL jsonb_each_text(m.latency) AS l ON true
				WHERE m.deployment = ? AND m.version = ? AND m.minute >= ? AND m.minute < ?
				ORDER BY m.minute""").params(deployment, version, utc(from), utc(to)).query((rs) -> {
			// One row per latency field of a minute (one without, for a minute that has
			// none).
			long minute = rs.getObject("minute", OffsetDateTime.class).toEpochSecond();
			OutcomeCounts counts = minutes.getOrDefault(minute,
					new OutcomeCounts(rs.getLong("requests"), rs.getLong("errors"), rs.getLong("timeouts"), Map.of()));
			String field = rs.getString("key");
			minutes.put(minute,
					(field != null)
							? counts
								.plus(new OutcomeCounts(0, 0, 0, Map.of(field, Long.parseLong(rs.getString("value")))))
							: counts);
		});
		return minutes;
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

	/**
	 * Where a series' intervals fall: {@code intervals} of {@code step} from
	 * {@code start}, read from Redis from {@code redisFrom} on and from PostgreSQL
	 * before.
	 */
	public record Grid(Instant start, Duration step, int intervals, Instant redisFrom) {

		/** The end of the last interval. */
		public Instant end() {
			return this.start.plus(this.step.multipliedBy(this.intervals));
		}

	}

}
