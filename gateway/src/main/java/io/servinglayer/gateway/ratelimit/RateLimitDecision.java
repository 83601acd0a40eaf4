package io.servinglayer.gateway.ratelimit;

import io.servinglayer.gateway.routing.RatePlan;

/**
 * One rate-limit decision and what the {@code RateLimit-*} headers say about it: the
 * binding limit (the burst, or the daily quota when that is nearer to running out), what
 * is left of it, and the seconds until it is whole again.
 *
 * @param retryAfterSeconds when refused, the seconds until a request could pass
 */
public record RateLimitDecision(boolean allowed, long limit, long remaining, long resetSeconds,
		long retryAfterSeconds) {

	/**
	 * Reads the counts both the Redis script and the local buckets produce.
	 * @param tokens whole tokens left in the bucket
	 * @param untilTokenMillis ms until the next token, 0 when one is there
	 * @param untilFullMillis ms until the bucket is full
	 * @param usedToday requests counted today
	 * @param untilMidnightSeconds seconds until the UTC day ends
	 */
	static RateLimitDecision of(RatePlan plan, boolean allowed, long tokens, long untilTokenMillis,
			long untilFullMillis, long usedToday, long untilMidnightSeconds) {
		Long quota = plan.dailyQuota();
		boolean quotaBinds = quota != null && quota - usedToday <= tokens;
		long retryAfter = 0;
		if (!allowed) {
			retryAfter = (quota != null && usedToday >= quota) ? untilMidnightSeconds
					: Math.max(1, ceilSeconds(untilTokenMillis));
		}
		if (quotaBinds) {
			return new RateLimitDecision(allowed, quota, Math.max(0, quota - usedToday), untilMidnightSeconds,
					retryAfter);
		}
		return new RateLimitDecision(allowed, plan.burst(), Math.max(0, tokens), ceilSeconds(untilFullMillis),
				retryAfter);
	}

	private static long ceilSeconds(long millis) {
		return (millis + 999) / 1000;
	}

}
