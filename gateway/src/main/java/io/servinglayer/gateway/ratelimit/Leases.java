package io.servinglayer.gateway.ratelimit;

import io.servinglayer.gateway.routing.RatePlan;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;

/**
 * The tokens this gateway holds of each client's shared bucket, and the refusals it
 * remembers. Bounded by {@code max-local-buckets} clients, the least recently seen
 * forgotten first (its unspent tokens lapse, as they would at {@code lease-time}).
 */
final class Leases {

	private final Cache<String, Lease> leases;

	private final long leaseNanos;

	Leases(RateLimitSettings settings) {
		this.leases = Caffeine.newBuilder().maximumSize(settings.maxLocalBuckets()).executor(Runnable::run).build();
		this.leaseNanos = settings.leaseTime().toNanos();
	}

	/**
	 * How many tokens one lease takes: a tenth of the burst (or of the daily quota, when
	 * that is smaller), no more than the plan refills in {@code lease-time}, at most
	 * {@code max-lease}, at least one. So a client whose budget is small is decided in
	 * Redis request by request, exactly as without leases, and a client with a large one
	 * costs one Redis call per lease.
	 */
	static int size(RatePlan plan, RateLimitSettings settings) {
		double budget = plan.burst();
		if (plan.dailyQuota() != null) {
			budget = Math.min(budget, plan.dailyQuota());
		}
		double byRate = plan.requestsPerSecond() * settings.leaseTime().toNanos() / 1e9;
		long size = (long) Math.floor(Math.min(budget / 10, byRate));
		return (int) Math.max(1, Math.min(settings.maxLease(), size));
	}

	Lease lease(String clientId) {
		return this.leases.get(clientId, (id) -> new Lease());
	}

	/**
	 * A token of the lease, or a refusal still fresh; {@code null} when Redis must say.
	 */
	RateLimitDecision spend(String clientId, RatePlan plan, long nowNanos) {
		Lease lease = this.leases.getIfPresent(clientId);
		if (lease == null) {
			return null;
		}
		synchronized (lease) {
			if (!plan.equals(lease.plan)) {
				return null;
			}
			if (lease.tokens > 0 && nowNanos - lease.until < 0) {
				lease.tokens--;
				return RateLimitDecision.of(plan, true, lease.sharedTokens + lease.tokens, lease.untilTokenMillis,
						lease.untilFullMillis, lease.usedToday - lease.tokens, lease.untilMidnightSeconds);
			}
			if (lease.refusal != null && nowNanos - lease.until < 0) {
				return lease.refusal;
			}
			return null;
		}
	}

	/**
	 * What one script call took for {@code lease}, with the shared bucket's state after
	 * it.
	 */
	void taken(Lease lease, RatePlan plan, long taken, long sharedTokens, long untilTokenMillis, long untilFullMillis,
			long usedToday, long untilMidnightSeconds, long nowNanos) {
		synchronized (lease) {
			lease.plan = plan;
			lease.tokens = taken;
			lease.sharedTokens = sharedTokens;
			lease.untilTokenMillis = untilTokenMillis;
			lease.untilFullMillis = untilFullMillis;
			lease.usedToday = usedToday;
			lease.untilMidnightSeconds = untilMidnightSeconds;
			if (taken > 0) {
				lease.refusal = null;
				lease.until = nowNanos + this.leaseNanos;
			}
			else {
				lease.refusal = RateLimitDecision.of(plan, false, sharedTokens, untilTokenMillis, untilFullMillis,
						usedToday, untilMidnightSeconds);
				// Until a token could be there, and no longer than a lease would last.
				lease.until = nowNanos + Math.min(this.leaseNanos, untilTokenMillis * 1_000_000);
			}
		}
	}

	/** One client's lease: guarded by its own lock. */
	static final class Lease {

		RatePlan plan;

		long tokens;

		long sharedTokens;

		long untilTokenMillis;

		long untilFullMillis;

		long usedToday;

		long untilMidnightSeconds;

		/** When the tokens lapse, or the refusal goes stale. */
		long until;

		RateLimitDecision refusal;

		/** The lease being taken from Redis right now, which other requests wait for. */
		Mono<Object> pending;

	}

}
