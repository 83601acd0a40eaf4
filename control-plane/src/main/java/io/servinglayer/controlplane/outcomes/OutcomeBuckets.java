package io.servinglayer.controlplane.outcomes;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.servinglayer.contracts.OutcomeBucket;
import io.servinglayer.controlplane.system.RedisNamespace;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the gateways' outcome buckets from Redis, laid out as {@link OutcomeBucket}
 * documents. Keys are named, never scanned: a window's buckets are read with one
 * pipelined HGETALL each.
 */
@Component
class OutcomeBuckets {

	private final StringRedisTemplate redis;

	private final RedisNamespace namespace;

	private final OutcomeProperties properties;

	OutcomeBuckets(StringRedisTemplate redis, RedisNamespace namespace, OutcomeProperties properties) {
		this.redis = redis;
		this.namespace = namespace;
		this.properties = properties;
	}

	/** The start of the bucket {@code instant} falls in, epoch seconds. */
	long bucketOf(Instant instant) {
		return OutcomeBucket.bucketStart(instant.getEpochSecond(), this.properties.bucket().toSeconds());
	}

	/**
	 * The counts of every bucket that starts in [{@code from}, {@code to}), in order,
	 * summed per consecutive {@code group} buckets (1 for each bucket on its own).
	 */
	List<OutcomeCounts> read(String deployment, int version, long fromBucket, long toExclusive, int group) {
		long width = this.properties.bucket().toSeconds();
		List<byte[]> keys = new ArrayList<>();
		for (long start = fromBucket; start < toExclusive; start += width) {
			keys.add(OutcomeBucket.key(this.namespace.keyPrefix(), deployment, version, start)
				.getBytes(StandardCharsets.UTF_8));
		}
		if (keys.isEmpty()) {
			return List.of();
		}
		List<Object> hashes = this.redis.executePipelined((RedisCallback<Object>) (RedisConnection connection) -> {
			for (byte[] key : keys) {
				connection.hashCommands().hGetAll(key);
			}
			return null;
		});
		List<OutcomeCounts> grouped = new ArrayList<>();
		OutcomeCounts sum = OutcomeCounts.NONE;
		for (int i = 0; i < hashes.size(); i++) {
			@SuppressWarnings("unchecked")
			Map<String, String> fields = (Map<String, String>) hashes.get(i);
			if (fields != null && !fields.isEmpty()) {
				sum = sum.plus(OutcomeCounts.of(fields));
			}
			if ((i + 1) % group == 0 || i == hashes.size() - 1) {
				grouped.add(sum);
				sum = OutcomeCounts.NONE;
			}
		}
		return grouped;
	}

	/**
	 * The sum of every bucket that starts in [{@code fromBucket}, {@code toExclusive}).
	 */
	OutcomeCounts sum(String deployment, int version, long fromBucket, long toExclusive) {
		return read(deployment, version, fromBucket, toExclusive, Integer.MAX_VALUE).stream()
			.reduce(OutcomeCounts.NONE, OutcomeCounts::plus);
	}

}
