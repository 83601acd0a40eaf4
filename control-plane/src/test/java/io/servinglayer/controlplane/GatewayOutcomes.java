package io.servinglayer.controlplane;

import java.time.Instant;

import io.servinglayer.contracts.OutcomeBucket;
import io.servinglayer.controlplane.system.RedisNamespace;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Writes per-version outcomes into Redis as the gateway's {@code OutcomeRecorder} does:
 * HINCRBY on the {@link OutcomeBucket} hash of the request's bucket (count, errors,
 * timeouts and one latency field per request), then EXPIRE, with the contract's default
 * bucket width, lifetime and latency bounds.
 */
public final class GatewayOutcomes {

	private final StringRedisTemplate redis;

	private final RedisNamespace namespace;

	public GatewayOutcomes(StringRedisTemplate redis, RedisNamespace namespace) {
		this.redis = redis;
		this.namespace = namespace;
	}

	/**
	 * {@code requests} answers of one version at {@code at}, each in {@code millis}, of
	 * which {@code errors} were 5xx.
	 */
	public void answered(String deployment, int version, Instant at, int requests, int errors, long millis) {
		String key = OutcomeBucket.key(this.namespace.keyPrefix(), deployment, version,
				OutcomeBucket.bucketStart(at.getEpochSecond(), OutcomeBucket.DEFAULT_WIDTH.toSeconds()));
		this.redis.opsForHash().increment(key, OutcomeBucket.COUNT, requests);
		if (errors > 0) {
			this.redis.opsForHash().increment(key, OutcomeBucket.ERRORS, errors);
		}
		this.redis.opsForHash()
			.increment(key, OutcomeBucket.latencyField(millis, OutcomeBucket.DEFAULT_LATENCY_BOUNDS_MS), requests);
		this.redis.expire(key, OutcomeBucket.DEFAULT_TTL);
	}

}
