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
 * @param maxInFlight the most counter writes waiting on Redis; more are dropped and
 * counted in {@code gateway.outcomes.dropped}
 */
@ConfigurationProperties("servinglayer.gateway.outcomes")
public record OutcomeSettings(@DefaultValue("10s") Duration bucket, @DefaultValue("2h") Duration ttl, @DefaultValue( {
		"25", "50", "100", "200", "500", "1000", "2500", "5000" }) List<Integer> latencyBoundsMs,
		@DefaultValue("1000") int maxInFlight){

	public OutcomeSettings {
		if (bucket.toSeconds() < 1) {
			throw new IllegalArgumentException(
					"servinglayer.gateway.outcomes.bucket must be at least 1s, got " + bucket);
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
