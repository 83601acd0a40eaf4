package io.servinglayer.controlplane.featureviewstatus;

import java.time.Instant;
import java.util.List;

/**
 * A feature view as the inference instances use it: per version, the model versions bound
 * to it, the deployments routing those now, and what the live instances of those
 * deployments' pools measured reading its online rows.
 *
 * @param name the feature view
 * @param observedAt when the instances' announcements were read
 * @param versions every version of the view, oldest first
 */
record FeatureViewStatus(String name, Instant observedAt, List<VersionStatus> versions) {

	/**
	 * One version of the view.
	 *
	 * @param version the view's version
	 * @param boundBy the model versions (archived ones left out) whose feature binding
	 * reads this version
	 * @param readings what the live instances measured, added up
	 * @param instances each live instance that measured anything, by pool and id
	 */
	record VersionStatus(int version, List<Binding> boundBy, Readings readings, List<InstanceReadings> instances) {
	}

	/**
	 * A model version bound to the view.
	 *
	 * @param deployments the deployments that route this model version now (as stable,
	 * canary or shadow), by name
	 */
	record Binding(String model, int modelVersion, List<String> deployments) {
	}

	/**
	 * What was measured, counted from each instance's start.
	 *
	 * @param cacheHits entity rows found in an instance's local cache
	 * @param cacheMisses entity rows read from the online store
	 * @param cacheHitRatio {@code cacheHits / (cacheHits + cacheMisses)}; {@code null}
	 * before any lookup
	 * @param rowsRead rows that were there and fed a prediction
	 * @param meanRowAgeSeconds the mean age of those rows when read; {@code null} before
	 * any row was read
	 * @param oldestRowAgeSeconds the age of the oldest row read since each instance's
	 * previous announcement (a few seconds: its heartbeat); {@code null} when none was
	 */
	record Readings(long cacheHits, long cacheMisses, Double cacheHitRatio, long rowsRead, Double meanRowAgeSeconds,
			Double oldestRowAgeSeconds) {

		static final Readings NONE = new Readings(0, 0, null, 0, null, null);

		static Readings of(long hits, long misses, long rows, long ageMillisSum, long oldestMillis) {
			return new Readings(hits, misses, (hits + misses > 0) ? (double) hits / (hits + misses) : null, rows,
					(rows > 0) ? ageMillisSum / 1000.0 / rows : null,
					(oldestMillis > 0) ? oldestMillis / 1000.0 : null);
		}

	}

	/** One live instance's readings of this version. */
	record InstanceReadings(String instanceId, String pool, Instant announcedAt, Readings readings) {
	}

}
