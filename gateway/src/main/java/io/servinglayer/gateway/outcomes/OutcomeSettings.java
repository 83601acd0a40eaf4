package io.servinglayer.gateway.outcomes;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-version outcome counters in Redis, for canary analysis.
 *
 * @param bucket the width of one time bucket
 * @param ttl how long a bucket's counters are kept
 * @param latencyBoundsMs upper bounds (ms) of the latency histogram's buckets, ascending;
 * slower requests count in {@code le_inf}
 * @param maxInFlight the most hashes being written to Redis at once; more are dropped and
 * counted in {@code gateway.outcomes.dropped}
 * @param flushInterval how often the counts added up in memory are written to Redis
 */
@ConfigurationProperties("servinglayer.gateway.outcomes")
public record OutcomeSettings(@DefaultValue("10s") Duration bucket, @DefaultValue("2h") Duration ttl, @DefaultValue( {
		"25", "50", "100", "200", "500", "1000", "2500", "5000" }) List<Integer> latencyBoundsMs,
		@DefaultValue("1000") int maxInFlight, @DefaultValue("1s") Duration flushInterval){

	public OutcomeSettings {
		if (bucket.toSeconds() < 1) {
			throw new IllegalArgumentException(
					"servinglayer.gateway.outcomes.bucket must be at least 1s, got " + bucket);
		}
		if (ttl.toSeconds() < 1 || maxInFlight < 1 || flushInterval.toMillis() < 1) {
			throw new IllegalArgumentException("servinglayer.gateway.outcomes.ttl, max-in-flight and flush-interval"
					+ " must be positive, got " + ttl + ", " + maxInFlight + ", " + flushInterval);
		}
		for (int i = 1; i < latencyBoundsMs.size(); i++) {
			if (latencyBoundsMs.get(i) <= latencyBoundsMs.get(i - 1)) {
				throw new IllegalArgumentException(
						"servinglayer.gateway.outcomes.latency-bounds-ms must ascend, got " + latencyBoundsMs);
			}
		}
		latencyBoundsMs = List.copyOf(latencyBoundsMs);
	}

}
