package io.servinglayer.controlplane.slo;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The histogram bounds SLO thresholds must fall on, so each SLI is an exact count of good
 * events rather than an interpolation between buckets.
 *
 * @param latencyBoundsMs the bounds (ms) of the gateway's {@code gateway.model.requests}
 * histogram ({@code management.metrics.distribution.slo} in the gateway's settings): the
 * allowed {@code thresholdMs} of a latency objective
 * @param freshnessBucketsSeconds the bounds (s) of the inference instances'
 * {@code features.freshness} histogram: the allowed {@code maxAgeSeconds} of a freshness
 * objective
 */
@ConfigurationProperties("servinglayer.control-plane.slo")
public record SloProperties(@DefaultValue( {
		"25", "50", "100", "200", "500", "1000", "2500", "5000" }) List<Integer> latencyBoundsMs,
		@DefaultValue({ "1", "5", "15", "30", "60", "300", "900", "3600", "21600",
				"86400" }) List<Integer> freshnessBucketsSeconds){

	public SloProperties {
		ascending(latencyBoundsMs, "latency-bounds-ms");
		ascending(freshnessBucketsSeconds, "freshness-buckets-seconds");
		latencyBoundsMs = List.copyOf(latencyBoundsMs);
		freshnessBucketsSeconds = List.copyOf(freshnessBucketsSeconds);
	}

	private static void ascending(List<Integer> bounds, String name) {
		if (bounds.isEmpty() || bounds.get(0) < 1) {
			throw new IllegalArgumentException(
					"servinglayer.control-plane.slo." + name + " must list positive bounds, got " + bounds);
		}
		for (int i = 1; i < bounds.size(); i++) {
			if (bounds.get(i) <= bounds.get(i - 1)) {
				throw new IllegalArgumentException(
						"servinglayer.control-plane.slo." + name + " must ascend, got " + bounds);
			}
		}
	}

}
