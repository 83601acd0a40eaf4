package io.servinglayer.inferenceservice.feedback;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the instance keeps the predictions it serves in Redis, so that labels sent later to
 * the gateway's feedback endpoint can be joined to them (layout: {@code ServedPrediction}
 * in contracts). Kept only while {@code servinglayer.inference.redis-uri} is set, and
 * only for requests that carry an {@code X-Request-Id} (the gateway sends one with every
 * call).
 *
 * @param enabled whether served predictions are kept at all
 * @param keyPrefix prefix of the Redis keys, as the control plane's
 * {@code servinglayer.redis.key-prefix} and the gateway's
 * {@code servinglayer.gateway.redis.key-prefix}
 * @param ttl how long a served prediction waits for its label; feedback later than this
 * is answered {@code unknown}
 * @param maxQueued how many predictions may wait to be written; past it they are dropped
 * and counted ({@code inference.served.predictions.dropped}), never waited for
 * @param batchSize the most predictions written in one pipelined round trip
 * @param linger how long the writer gathers predictions before writing them (unless the
 * batch fills first): one round trip for many costs the instance and Redis far less CPU
 * than one each; a label can be joined only after it
 * @param commandTimeout how long one round trip may take before its predictions count as
 * dropped
 */
@ConfigurationProperties("servinglayer.inference.served-predictions")
public record ServedPredictionSettings(@DefaultValue("true") boolean enabled,
		@DefaultValue("servinglayer:") String keyPrefix, @DefaultValue("24h") Duration ttl,
		@DefaultValue("10000") int maxQueued, @DefaultValue("256") int batchSize,
		@DefaultValue("1s") Duration commandTimeout, @DefaultValue("100ms") Duration linger) {

	public ServedPredictionSettings {
		if (linger.isNegative() || linger.toMillis() > 10_000) {
			throw new IllegalArgumentException(
					"servinglayer.inference.served-predictions.linger must be between 0 and 10s, got " + linger);
		}
		if (ttl.toMillis() < 1000) {
			throw new IllegalArgumentException(
					"servinglayer.inference.served-predictions.ttl must be at least 1s, got " + ttl);
		}
		if (maxQueued < 1 || maxQueued > 1_000_000) {
			throw new IllegalArgumentException(
					"servinglayer.inference.served-predictions.max-queued must be between 1 and 1000000, got "
							+ maxQueued);
		}
		if (batchSize < 1 || batchSize > 10_000) {
			throw new IllegalArgumentException(
					"servinglayer.inference.served-predictions.batch-size must be between 1 and 10000, got "
							+ batchSize);
		}
		if (commandTimeout.isZero() || commandTimeout.isNegative()) {
			throw new IllegalArgumentException(
					"servinglayer.inference.served-predictions.command-timeout must be positive, got "
							+ commandTimeout);
		}
	}

}
