package io.servinglayer.gateway.balancing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway finds and picks inference instances.
 *
 * @param refreshInterval how often the announced instances are read from Redis
 * @param refreshTimeout the longest one read of all pools may take; a slower read is
 * abandoned and the previous table kept
 * @param staleAfter how long a table that could not be refreshed is still trusted; after
 * that no instance is considered ready
 * @param maxInstances the most instances held per pool; more announcements are ignored
 * @param retryAfter what {@code Retry-After} says when no instance is ready
 */
@ConfigurationProperties("servinglayer.gateway.balancing")
public record BalancingSettings(@DefaultValue("1s") Duration refreshInterval,
		@DefaultValue("800ms") Duration refreshTimeout, @DefaultValue("30s") Duration staleAfter,
		@DefaultValue("1000") int maxInstances, @DefaultValue("1s") Duration retryAfter) {

	public BalancingSettings {
		if (maxInstances < 1 || refreshInterval.toMillis() <= 0 || refreshTimeout.toMillis() <= 0
				|| staleAfter.toMillis() <= 0) {
			throw new IllegalArgumentException("servinglayer.gateway.balancing.max-instances, refresh-interval,"
					+ " refresh-timeout and stale-after must be positive");
		}
		if (refreshTimeout.compareTo(refreshInterval) > 0) {
			throw new IllegalArgumentException("servinglayer.gateway.balancing.refresh-timeout (" + refreshTimeout
					+ ") must not exceed refresh-interval (" + refreshInterval + ")");
		}
	}

}
