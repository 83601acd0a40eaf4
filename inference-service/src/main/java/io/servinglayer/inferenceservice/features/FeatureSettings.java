package io.servinglayer.inferenceservice.features;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the instance reads online features.
 *
 * @param keyPrefix prefix of the Redis keys, as the control plane's
 * {@code servinglayer.redis.key-prefix}; rows live at
 * {@code {prefix}fs:{view}:{version}:{entity}}
 * @param cacheMaxEntries the most rows kept in the local cache
 * @param cacheTtl how long a cached row is used before it is read again
 * @param cacheTtlJitter the fraction of {@code cacheTtl} by which each entry's life is
 * shortened at random, so rows read together do not all expire together and stampede
 * Redis
 * @param absentTtl how long "no row for this entity" is cached; short, so a new entity is
 * seen soon
 * @param storeTimeout the longest one read from Redis may take; a slower read counts as
 * the store being unavailable
 * @param maxInstances the most instances one predict request may carry
 */
@ConfigurationProperties("servinglayer.inference.features")
public record FeatureSettings(@DefaultValue("servinglayer:") String keyPrefix,
		@DefaultValue("100000") long cacheMaxEntries, @DefaultValue("5s") Duration cacheTtl,
		@DefaultValue("0.2") double cacheTtlJitter, @DefaultValue("1s") Duration absentTtl,
		@DefaultValue("250ms") Duration storeTimeout, @DefaultValue("256") int maxInstances) {

	public FeatureSettings {
		if (cacheTtlJitter < 0 || cacheTtlJitter >= 1) {
			throw new IllegalArgumentException(
					"servinglayer.inference.features.cache-ttl-jitter must be at least 0 and below 1, got "
							+ cacheTtlJitter);
		}
		if (cacheMaxEntries < 1 || maxInstances < 1) {
			throw new IllegalArgumentException(
					"servinglayer.inference.features.cache-max-entries and max-instances must be at least 1");
		}
	}

}
