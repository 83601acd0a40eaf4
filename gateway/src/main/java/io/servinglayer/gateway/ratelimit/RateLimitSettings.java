package io.servinglayer.gateway.ratelimit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What rate limiting does when Redis cannot answer in time.
 *
 * @param whenRedisDown {@code fail-open}: decide with a bucket local to this gateway
 * instance (each instance then allows a whole plan); {@code fail-closed}: refuse with 503
 * @param maxLocalBuckets the most clients the local buckets and the leases remember; the
 * least recently seen is forgotten first
 * @param maxLease the most tokens one lease takes from a client's shared bucket (see
 * {@link RateLimiter}); {@code 1} takes every decision in Redis
 * @param leaseTime how long leased tokens may be spent before they lapse, and the longest
 * a refusal is repeated without asking Redis again
 */
@ConfigurationProperties("servinglayer.gateway.rate-limit")
public record RateLimitSettings(@DefaultValue("fail-open") WhenRedisDown whenRedisDown,
		@DefaultValue("10000") int maxLocalBuckets, @DefaultValue("50") int maxLease,
		@DefaultValue("250ms") Duration leaseTime) {

	@ConstructorBinding
	public RateLimitSettings {
		if (maxLocalBuckets < 1) {
			throw new IllegalArgumentException(
					"servinglayer.gateway.rate-limit.max-local-buckets must be at least 1, got " + maxLocalBuckets);
		}
		if (maxLease < 1 || leaseTime.toMillis() < 1) {
			throw new IllegalArgumentException("servinglayer.gateway.rate-limit.max-lease must be at least 1 and"
					+ " lease-time at least 1ms, got " + maxLease + " and " + leaseTime);
		}
	}

	/** The default lease. */
	public RateLimitSettings(WhenRedisDown whenRedisDown, int maxLocalBuckets) {
		this(whenRedisDown, maxLocalBuckets, 50, Duration.ofMillis(250));
	}

	/** The decision taken without Redis. */
	public enum WhenRedisDown {

		/** Allow by a bucket of this gateway instance alone. */
		FAIL_OPEN,

		/** Refuse every rate-limited request with 503. */
		FAIL_CLOSED

	}

}
