package io.servinglayer.inferenceservice.predict;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.servinglayer.inferenceservice.serving.ServedVersion;

/**
 * The feature meters of each served version, made once: feature freshness (age of the row
 * at read) and feature fetch latency as histograms with explicit buckets, and cache
 * lookups by result, so the hit ratio is {@code hit / (hit + miss)}.
 */
final class PredictMetrics {

	private static final double[] FRESHNESS_BUCKETS = { 1, 5, 15, 30, 60, 300, 900, 3600, 21600, 86400 };

	private static final Duration[] FETCH_BUCKETS = { Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
			Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
			Duration.ofMillis(250), Duration.ofMillis(500) };

	private final MeterRegistry meters;

	private final Map<String, VersionMeters> byVersion = new ConcurrentHashMap<>();

	PredictMetrics(MeterRegistry meters) {
		this.meters = meters;
	}

	void freshness(ServedVersion version, Duration age) {
		of(version).freshness().record(Math.max(0, age.toMillis()) / 1000.0);
	}

	void lookups(ServedVersion version, int hits, int misses) {
		VersionMeters meters = of(version);
		meters.hits().increment(hits);
		meters.misses().increment(misses);
	}

	void fetched(ServedVersion version, Timer.Sample sample) {
		sample.stop(of(version).fetch());
	}

	/** Drops an unloaded version's meters. */
	void forget(ServedVersion version) {
		VersionMeters gone = this.byVersion.remove(version.deployment() + "/" + version.version());
		if (gone != null) {
			this.meters.remove(gone.freshness());
			this.meters.remove(gone.fetch());
			this.meters.remove(gone.hits());
			this.meters.remove(gone.misses());
		}
	}

	private VersionMeters of(ServedVersion version) {
		return this.byVersion.computeIfAbsent(version.deployment() + "/" + version.version(), (key) -> {
			String model = version.deployment();
			String number = Integer.toString(version.version());
			return new VersionMeters(
					DistributionSummary.builder("features.freshness")
						.description("Age of online feature rows when read (now minus event time)")
						.baseUnit("seconds")
						.tag("model", model)
						.tag("model.version", number)
						.serviceLevelObjectives(FRESHNESS_BUCKETS)
						.register(this.meters),
					Timer.builder("inference.features.fetch")
						.description("Time to get a request's online rows, from the cache or the store")
						.tag("model", model)
						.tag("model.version", number)
						.serviceLevelObjectives(FETCH_BUCKETS)
						.register(this.meters),
					lookup(model, number, "hit"), lookup(model, number, "miss"));
		});
	}

	private Counter lookup(String model, String number, String result) {
		return Counter.builder("features.cache.lookups")
			.description("Online rows looked up in the local cache, by result")
			.tag("model", model)
			.tag("model.version", number)
			.tag("result", result)
			.register(this.meters);
	}

	private record VersionMeters(DistributionSummary freshness, Timer fetch, Counter hits, Counter misses) {
	}

}
