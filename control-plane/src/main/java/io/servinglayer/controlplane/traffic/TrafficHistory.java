package io.servinglayer.controlplane.traffic;

import java.time.Instant;
import java.util.List;

/**
 * A deployment's traffic over a recent window, per version it routes to now, from the
 * gateways' outcome counters: what the rollout and the SLOs judge, over time.
 *
 * @param deployment the deployment's name
 * @param from the start of the first point's interval
 * @param to the end of the last point's interval: the start of the outcome bucket still
 * being filled when the history was read
 * @param stepSeconds how long each point's interval is: a whole number of the gateways'
 * buckets (whole minutes where the window reaches back past the hours Redis keeps them)
 * @param latencyBoundsMs the gateways' latency bucket bounds, which {@code p99Ms} is
 * estimated from
 * @param versions one series per version the deployment routes to now: stable, canary,
 * shadow
 */
public record TrafficHistory(String deployment, Instant from, Instant to, long stepSeconds,
		List<Integer> latencyBoundsMs, List<VersionTraffic> versions) {

	/**
	 * @param version the version's number
	 * @param role its role in the deployment's spec now: {@code stable}, {@code canary}
	 * or {@code shadow}
	 * @param points one per interval, oldest first
	 */
	public record VersionTraffic(int version, String role, List<TrafficPoint> points) {
	}

	/**
	 * One interval's traffic to one version.
	 *
	 * @param start the start of the interval, which lasts {@code stepSeconds}
	 * @param requests requests the gateways answered (those the client gave up on are not
	 * counted)
	 * @param errors of those, 5xx answers, timeouts included
	 * @param timeouts of those, 504 timeouts
	 * @param requestsPerSecond requests over the interval's length
	 * @param errorRate errors over requests; {@code null} without requests
	 * @param p99Ms the latency 99 % of the requests were answered within, estimated from
	 * the latency buckets as Prometheus's {@code histogram_quantile} does (linear inside
	 * the bucket it falls in, so only as fine as the bounds); the highest bound when it
	 * lies above it; {@code null} without requests
	 */
	public record TrafficPoint(Instant start, long requests, long errors, long timeouts, double requestsPerSecond,
			Double errorRate, Double p99Ms) {
	}

}
