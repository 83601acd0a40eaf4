package io.servinglayer.controlplane.outcomes;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the control plane reads the gateways' per-version outcome counters. The bucket
 * width, the time Redis keeps a bucket and the latency bounds must be the gateways' own
 * ({@code servinglayer.gateway.outcomes.*}).
 *
 * @param bucket width of one Redis bucket; divides a minute
 * @param redisTtl how long the gateways keep a bucket in Redis
 * @param latencyBoundsMs the gateways' latency bucket bounds, ascending
 * @param settle how long after a minute ends its counts are taken as complete (gateways
 * flush every second); until then the roll-up rewrites it
 * @param rollupEvery how often the leader copies finished minutes into PostgreSQL
 * @param retention how long rolled-up minutes are kept; at least the longest SLO window
 */
@ConfigurationProperties("servinglayer.control-plane.outcomes")
public record OutcomeProperties(@DefaultValue("10s") Duration bucket, @DefaultValue("2h") Duration redisTtl,
		@DefaultValue( {
				"25", "50", "100", "200", "500", "1000", "2500", "5000" }) List<Integer> latencyBoundsMs,
		@DefaultValue("15s") Duration settle, @DefaultValue("30s") Duration rollupEvery,
		@DefaultValue("91d") Duration retention){

	public OutcomeProperties {
		long seconds = bucket.toSeconds();
		if (seconds < 1 || 60 % seconds != 0 || bucket.toMillis() % 1000 != 0) {
			throw new IllegalArgumentException(
					"servinglayer.control-plane.outcomes.bucket must be whole seconds that divide a minute, got "
							+ bucket);
		}
		for (int i = 1; i < latencyBoundsMs.size(); i++) {
			if (latencyBoundsMs.get(i) <= latencyBoundsMs.get(i - 1)) {
				throw new IllegalArgumentException(
						"servinglayer.control-plane.outcomes.latency-bounds-ms must ascend, got " + latencyBoundsMs);
			}
		}
		latencyBoundsMs = List.copyOf(latencyBoundsMs);
	}

}
