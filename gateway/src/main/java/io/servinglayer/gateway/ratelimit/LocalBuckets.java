package io.servinglayer.gateway.ratelimit;

import io.servinglayer.gateway.routing.RatePlan;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token buckets and daily counts held by this gateway instance alone: the fail-open
 * decision while Redis cannot answer. Bounded; the least recently seen client is
 * forgotten first (and starts again with a full bucket).
 */
final class LocalBuckets {

	private final Clock clock;

	private final Map<String, Bucket> buckets;

	LocalBuckets(Clock clock, int maxClients) {
		this.clock = clock;
		this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
				return size() > maxClients;
			}
		};
	}

	synchronized RateLimitDecision decide(String clientId, RatePlan plan) {
		long nowMillis = this.clock.millis();
		long seconds = nowMillis / 1000;
		long day = seconds / 86400;
		Bucket bucket = this.buckets.computeIfAbsent(clientId, (key) -> new Bucket(plan.burst(), nowMillis, day));
		if (nowMillis > bucket.at) {
			bucket.tokens = Math.min(plan.burst(),
					bucket.tokens + (nowMillis - bucket.at) * plan.requestsPerSecond() / 1000);
			bucket.at = nowMillis;
		}
		if (bucket.day != day) {
			bucket.day = day;
			bucket.used = 0;
		}
		Long quota = plan.dailyQuota();
		boolean allowed = bucket.tokens >= 1 && (quota == null || bucket.used < quota);
		if (allowed) {
			bucket.tokens -= 1;
			bucket.used++;
		}
		long untilToken = (bucket.tokens < 1) ? (long) Math.ceil((1 - bucket.tokens) * 1000 / plan.requestsPerSecond())
				: 0;
		long untilFull = (long) Math.ceil((plan.burst() - bucket.tokens) * 1000 / plan.requestsPerSecond());
		return RateLimitDecision.of(plan, allowed, (long) Math.floor(bucket.tokens), untilToken, untilFull, bucket.used,
				(day + 1) * 86400 - seconds);
	}

	private static final class Bucket {

		private double tokens;

		private long at;

		private long day;

		private long used;

		Bucket(double tokens, long at, long day) {
			this.tokens = tokens;
			this.at = at;
			this.day = day;
		}

	}

}
