package io.servinglayer.controlplane.client;

import io.servinglayer.contracts.RoutingSnapshot;
import io.servinglayer.controlplane.system.Violations;

/**
 * What the gateway lets one client send: a token bucket refilled at
 * {@code requestsPerSecond} and holding at most {@code burst} requests, and optionally at
 * most {@code dailyQuota} requests per UTC day. A client created without a plan gets
 * {@link #DEFAULT}.
 */
public record RatePlan(Double requestsPerSecond, Integer burst, Long dailyQuota) {

	public static final RatePlan DEFAULT = new RatePlan(RoutingSnapshot.RatePlan.DEFAULT.requestsPerSecond(),
			RoutingSnapshot.RatePlan.DEFAULT.burst(), RoutingSnapshot.RatePlan.DEFAULT.dailyQuota());

	void validate(Violations violations, String field) {
		violations.require(
				this.requestsPerSecond != null && this.requestsPerSecond > 0 && this.requestsPerSecond <= 1_000_000,
				field + ".requestsPerSecond", "must be a number above 0 and at most 1000000");
		// A bucket smaller than one second of refill never fills, and the gateway could
		// not enforce it.
		violations.require(
				this.burst != null && this.burst >= 1
						&& (this.requestsPerSecond == null || this.burst >= this.requestsPerSecond),
				field + ".burst", "must be a whole number of at least 1 and at least requestsPerSecond");
		violations.require(this.dailyQuota == null || this.dailyQuota > 0, field + ".dailyQuota",
				"must be positive when given; leave it out for no daily quota");
	}

}
