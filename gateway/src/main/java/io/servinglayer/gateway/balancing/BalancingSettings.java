package io.servinglayer.gateway.balancing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway finds and picks inference instances, and when it stops sending to one
 * that keeps failing.
 *
 * @param refreshInterval how often the announced instances are read from Redis
 * @param refreshTimeout the longest one read of all pools may take; a slower read is
 * abandoned and the previous table kept
 * @param staleAfter how long a table that could not be refreshed is still trusted; after
 * that no instance is considered ready
 * @param maxInstances the most instances held per pool; more announcements are ignored
 * @param retryAfter what {@code Retry-After} says when no instance is ready
 * @param consecutiveFailures failed attempts in a row (refused or reset connection, 502,
 * a 503 or 504 that is not the instance's own problem document, no answer within the
 * deployment's timeout) after which an instance is ejected; {@code 0} never ejects
 * @param baseEjectionTime how long the first ejection lasts; each ejection in a row lasts
 * this much longer than the one before
 * @param maxEjectionTime the longest an ejection lasts; also how long an instance must
 * stay healthy before its ejections are forgotten
 * @param maxEjectionPercent the largest share of a request's candidates that ejections
 * may keep out (at least one); when more are ejected, the ejections are ignored for the
 * pick, so that one overloaded instance's ejection cannot cascade into the whole pool's
 */
@ConfigurationProperties("servinglayer.gateway.balancing")
public record BalancingSettings(@DefaultValue("1s") Duration refreshInterval,
		@DefaultValue("800ms") Duration refreshTimeout, @DefaultValue("30s") Duration staleAfter,
		@DefaultValue("1000") int maxInstances, @DefaultValue("1s") Duration retryAfter,
		@DefaultValue("5") int consecutiveFailures, @DefaultValue("5s") Duration baseEjectionTime,
		@DefaultValue("60s") Duration maxEjectionTime, @DefaultValue("50") int maxEjectionPercent) {

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
		if (consecutiveFailures < 0) {
			throw new IllegalArgumentException("servinglayer.gateway.balancing.consecutive-failures must be 0 (never"
					+ " eject) or more, got " + consecutiveFailures);
		}
		if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
			throw new IllegalArgumentException("servinglayer.gateway.balancing.max-ejection-percent must be between 0"
					+ " and 100, got " + maxEjectionPercent);
		}
		if (baseEjectionTime.toMillis() <= 0 || maxEjectionTime.compareTo(baseEjectionTime) < 0) {
			throw new IllegalArgumentException("servinglayer.gateway.balancing.base-ejection-time (" + baseEjectionTime
					+ ") must be positive and max-ejection-time (" + maxEjectionTime + ") at least as long");
		}
	}

}
