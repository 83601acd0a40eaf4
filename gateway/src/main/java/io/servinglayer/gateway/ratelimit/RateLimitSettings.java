package io.servinglayer.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What rate limiting does when Redis cannot answer in time.
 *
 * @param whenRedisDown {@code fail-open}: decide with a bucket local to this gateway
 * instance (each instance then allows a whole plan); {@code fail-closed}: refuse with 503
 * @param maxLocalBuckets the most clients the local buckets remember; the least recently
 * seen is forgotten first
 */
@ConfigurationProperties("servinglayer.gateway.rate-limit")
public record RateLimitSettings(@DefaultValue("fail-open") WhenRedisDown whenRedisDown,
		@DefaultValue("10000") int maxLocalBuckets) {

	public RateLimitSettings {
		if (maxLocalBuckets < 1) {
			throw new IllegalArgumentException(
					"servinglayer.gateway.rate-limit.max-local-buckets must be at least 1, got " + maxLocalBuckets);
		}
	}

	/** The decision taken without Redis. */
	public enum WhenRedisDown {

		/** Allow by a bucket of this gateway instance alone. */
		FAIL_OPEN,

		/** Refuse every rate-limited request with 503. */
		FAIL_CLOSED

	}

}
