package io.servinglayer.gateway.routing;

import io.servinglayer.contracts.RoutingSnapshot;

/**
 * What one client may send, from the routing snapshot: a token bucket refilled at
 * {@code requestsPerSecond} holding at most {@code burst} requests, and at most
 * {@code dailyQuota} requests per UTC day ({@code null}, and any value {@code <= 0}: no
 * daily quota, as the rate limiter's Lua script and local buckets both read it).
 */
public record RatePlan(double requestsPerSecond, int burst, Long dailyQuota) {

	/**
	 * The control plane's plan for a client created without one, and for a client the
	 * snapshot does not list.
	 */
	public static final RatePlan DEFAULT = new RatePlan(RoutingSnapshot.RatePlan.DEFAULT.requestsPerSecond(),
			RoutingSnapshot.RatePlan.DEFAULT.burst(), RoutingSnapshot.RatePlan.DEFAULT.dailyQuota());

	public RatePlan {
		if (!(requestsPerSecond > 0) || burst < 1) {
			throw new IllegalArgumentException(
					"a rate plan needs requestsPerSecond > 0 and burst >= 1, got " + requestsPerSecond + "/" + burst);
		}
		if (dailyQuota != null && dailyQuota <= 0) {
			dailyQuota = null;
		}
	}

}
