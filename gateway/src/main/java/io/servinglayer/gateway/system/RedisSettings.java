package io.servinglayer.gateway.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Redis the gateway shares with the control plane and the inference instances.
 *
 * @param uri where it is: {@code redis://[user:password@]host:port} (or {@code rediss://}
 * for TLS); for a cluster, one or more seed nodes separated by commas, such as
 * {@code redis://:password@10.0.0.1:6379,10.0.0.2:6379} (the first's scheme and
 * credentials apply to all)
 * @param keyPrefix prefix of every key, as the control plane's
 * {@code servinglayer.redis.key-prefix}
 * @param commandTimeout how long any one Redis call may take before the gateway decides
 * without it
 * @param connectTimeout how long connecting may take
 * @param cluster whether {@code uri} names a Redis Cluster, whose nodes the gateway
 * discovers from the seeds and whose topology it follows
 */
@ConfigurationProperties("servinglayer.gateway.redis")
public record RedisSettings(@DefaultValue("redis://127.0.0.1:6379") String uri,
		@DefaultValue("servinglayer:") String keyPrefix, @DefaultValue("250ms") Duration commandTimeout,
		@DefaultValue("1s") Duration connectTimeout, @DefaultValue("false") boolean cluster) {

	@ConstructorBinding
	public RedisSettings {
		if (commandTimeout.isZero() || commandTimeout.isNegative()) {
			throw new IllegalArgumentException(
					"servinglayer.gateway.redis.command-timeout must be positive, got " + commandTimeout);
		}
	}

	/** Settings of a single-node Redis. */
	public RedisSettings(String uri, String keyPrefix, Duration commandTimeout, Duration connectTimeout) {
		this(uri, keyPrefix, commandTimeout, connectTimeout, false);
	}

}
