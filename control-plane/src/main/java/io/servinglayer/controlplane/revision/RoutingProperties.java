package io.servinglayer.controlplane.revision;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of how routing changes reach the data plane.
 *
 * @param longPollTimeout the longest a {@code GET /api/v1/routing?after=N} waits for a
 * newer revision
 * @param maxWaiters long-polls held open at once; more get 503 with {@code Retry-After}
 */
@ConfigurationProperties("servinglayer.control-plane.routing")
public record RoutingProperties(@DefaultValue("30s") Duration longPollTimeout, @DefaultValue("1000") int maxWaiters) {

	public RoutingProperties {
		if (longPollTimeout.isNegative() || longPollTimeout.isZero() || longPollTimeout.toSeconds() > 120) {
			throw new IllegalArgumentException(
					"servinglayer.control-plane.routing.long-poll-timeout must be between 1ms and 120s, got "
							+ longPollTimeout);
		}
		if (maxWaiters < 1) {
			throw new IllegalArgumentException(
					"servinglayer.control-plane.routing.max-waiters must be at least 1, got " + maxWaiters);
		}
	}

}
