package io.servinglayer.gateway.balancing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The HTTP client that carries model calls to the instances: one bounded pool of
 * kept-alive connections per instance.
 *
 * @param connectTimeout how long opening a connection to an instance may take
 * @param maxConnections the most connections to one instance
 * @param maxPending the most calls waiting for a connection to one instance; more are
 * refused at once with 503 {@code overloaded}
 * @param acquireTimeout how long a call waits for a connection; then 503
 * {@code overloaded}, never counted against the instance
 * @param maxIdleTime how long an unused connection is kept
 */
@ConfigurationProperties("servinglayer.gateway.instances")
public record InstanceClientSettings(@DefaultValue("2s") Duration connectTimeout,
		@DefaultValue("500") int maxConnections, @DefaultValue("1000") int maxPending,
		@DefaultValue("2s") Duration acquireTimeout, @DefaultValue("15s") Duration maxIdleTime) {

	public InstanceClientSettings {
		if (connectTimeout.toMillis() < 1 || maxConnections < 1 || maxPending < 0 || acquireTimeout.toMillis() < 1
				|| maxIdleTime.toMillis() < 1) {
			throw new IllegalArgumentException("servinglayer.gateway.instances: timeouts and max-connections must be"
					+ " positive, max-pending at least 0");
		}
	}

}
