package io.servinglayer.gateway.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Redis the gateway shares with the control plane and the inference instances.
 *
 * @param uri where it is, {@code redis://host:port}
 * @param keyPrefix prefix of every key, as the control plane's
 * {@code servinglayer.redis.key-prefix}
 * @param commandTimeout how long any one Redis call may take before the gateway decides
 * without it
 * @param connectTimeout how long connecting may take
 */
@ConfigurationProperties("servinglayer.gateway.redis")
public record RedisSettings(@DefaultValue("redis://127.0.0.1:6379") String uri,
		@DefaultValue("servinglayer:") String keyPrefix, @DefaultValue("250ms") Duration commandTimeout,
		@DefaultValue("1s") Duration connectTimeout) {

	public RedisSettings {
		if (commandTimeout.isZero() || commandTimeout.isNegative()) {
			throw new IllegalArgumentException(
					"servinglayer.gateway.redis.command-timeout must be positive, got " + commandTimeout);
		}
	}

}
