package io.servinglayer.controlplane.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where this installation's keys and channels live in Redis, so several installations (or
 * test runs) can share one server.
 *
 * @param keyPrefix prefix of every key and channel, such as {@code servinglayer:}
 */
@ConfigurationProperties("servinglayer.redis")
public record RedisNamespace(@DefaultValue("servinglayer:") String keyPrefix) {

	/** The full name of a key or channel. */
	public String key(String name) {
		return this.keyPrefix + name;
	}

}
