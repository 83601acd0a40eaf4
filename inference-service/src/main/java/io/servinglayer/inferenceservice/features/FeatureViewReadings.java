package io.servinglayer.inferenceservice.features;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this instance measured reading each feature view version's online rows: cache hits
 * and misses, rows read and their ages. The meters of {@code VersionMetrics} count the
 * same per model version for Prometheus; these count per feature view, for the instance's
 * announcement, from which the control plane reports a view's freshness and cache hit
 * ratio without a metrics backend.
 * <p>
 * Counts only grow, from the instance's start; the oldest row's age is kept per window,
 * each {@link #take()} starting the next. At most {@link #MAX_VIEWS} view versions are
 * counted, so a stream of new versions cannot grow the announcement without bound.
 */
public final class FeatureViewReadings {

	private static final Logger logger = LoggerFactory.getLogger(FeatureViewReadings.class);

	/** The most view versions counted; more are left out of the announcement. */
	public static final int MAX_VIEWS = 200;

	private final ConcurrentMap<Key, Counts> counts = new ConcurrentHashMap<>();

	private final AtomicBoolean full = new AtomicBoolean();

	/** Entity rows looked up for one request: {@code hits} were in the local cache. */
	public void lookups(String view, int version, int hits, int misses) {
		Counts counts = counts(view, version);
		if (counts != null) {
			counts.hits.add(hits);
			counts.misses.add(misses);
		}
	}

	/** A row that was there, read when it was {@code age} old. */
	public void rowRead(String view, int version, Duration age) {
		Counts counts = counts(view, version);
		if (counts != null) {
			long millis = Math.max(0, age.toMillis());
			counts.rows.increment();
			counts.ageSum.add(millis);
			counts.oldest.accumulateAndGet(millis, Math::max);
		}
	}

	/**
	 * Every view version's counts, by name then version, and the oldest row read since
	 * the previous call (0 for a view that read none since).
	 */
	public List<Reading> take() {
		List<Reading> readings = new ArrayList<>(this.counts.size());
		this.counts.forEach((key, counts) -> readings.add(new Reading(key.view(), key.version(), counts.hits.sum(),
				counts.misses.sum(), counts.rows.sum(), counts.ageSum.sum(), counts.oldest.getAndSet(0))));
		readings.sort(Comparator.comparing(Reading::view).thenComparingInt(Reading::version));
		return readings;
	}

	private Counts counts(String view, int version) {
		Key key = new Key(view, version);
		Counts found = this.counts.get(key);
		if (found != null) {
			return found;
		}
		if (this.counts.size() >= MAX_VIEWS) {
			if (this.full.compareAndSet(false, true)) {
				logger.warn("Counting reads of {} feature view versions already; {} version {} and later ones are not "
						+ "announced", MAX_VIEWS, view, version);
			}
			return null;
		}
		return this.counts.computeIfAbsent(key, (added) -> new Counts());
	}

	/**
	 * One view version's counts.
	 *
	 * @param hits entity rows found in the local cache
	 * @param misses entity rows read from the online store
	 * @param rowsRead rows that were there and fed a prediction
	 * @param rowAgeMillisSum their ages when read, added up
	 * @param oldestRowAgeMillis the oldest of them in this window; 0 when none
	 */
	public record Reading(String view, int version, long hits, long misses, long rowsRead, long rowAgeMillisSum,
			long oldestRowAgeMillis) {
	}

	private record Key(String view, int version) {
	}

	private static final class Counts {

		final LongAdder hits = new LongAdder();

		final LongAdder misses = new LongAdder();

		final LongAdder rows = new LongAdder();

		final LongAdder ageSum = new LongAdder();

		final AtomicLong oldest = new AtomicLong();

	}

}
