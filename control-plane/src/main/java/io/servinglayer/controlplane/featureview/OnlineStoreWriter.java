package io.servinglayer.controlplane.featureview;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.servinglayer.contracts.OnlineFeatureRow;
import io.servinglayer.controlplane.system.RedisNamespace;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes feature rows to the online store, in the layout the inference service reads
 * ({@link OnlineFeatureRow}): one hash per entity at
 * {@code {prefix}fs:{view}:{version}:{entity}}, a field per feature holding its text, and
 * {@code @event_time} holding the row's event time in epoch milliseconds. A row older
 * than the one stored is skipped, so replaying or reordering loads never moves an entity
 * back in time. Rows go out pipelined, a chunk per round trip.
 */
@Component
class OnlineStoreWriter {

	/**
	 * Writes a row unless the stored one is newer: KEYS[1] the row, ARGV[1] its event
	 * time, then field/value pairs. Answers 1 when written, 0 when skipped.
	 */
	private static final byte[] WRITE_UNLESS_OLDER = """
			local stored = redis.call('HGET', KEYS[1], '%1$s')
			if stored and tonumber(stored) > tonumber(ARGV[1]) then return 0 end
			redis.call('HSET', KEYS[1], '%1$s', ARGV[1], unpack(ARGV, 2))
			return 1""".formatted(OnlineFeatureRow.EVENT_TIME).getBytes(StandardCharsets.UTF_8);

	private static final int ROWS_PER_ROUND_TRIP = 500;

	private final StringRedisTemplate redis;

	private final RedisNamespace namespace;

	OnlineStoreWriter(StringRedisTemplate redis, RedisNamespace namespace) {
		this.redis = redis;
		this.namespace = namespace;
	}

	String key(FeatureView view, String entity) {
		return OnlineFeatureRow.key(this.namespace.keyPrefix(), view.name(), view.version(), entity);
	}

	/**
	 * Writes the rows; answers how many were written (the rest were older than what was
	 * stored).
	 * @throws OnlineStoreUnavailableException when Redis fails; rows written before the
	 * failure stay, and sending the same rows again is safe
	 */
	int write(FeatureView view, List<OnlineRow> rows) {
		try {
			String sha = this.redis.execute((RedisCallback<String>) (connection) -> connection.scriptingCommands()
				.scriptLoad(WRITE_UNLESS_OLDER));
			int written = 0;
			for (int start = 0; start < rows.size(); start += ROWS_PER_ROUND_TRIP) {
				List<OnlineRow> chunk = rows.subList(start, Math.min(rows.size(), start + ROWS_PER_ROUND_TRIP));
				List<Object> results = this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
					for (OnlineRow row : chunk) {
						connection.scriptingCommands()
							.evalSha(sha, ReturnType.INTEGER, 1, arguments(key(view, row.entity()), row));
					}
					return null;
				});
				for (Object result : results) {
					if (result instanceof Long count) {
						written += count.intValue();
					}
				}
			}
			return written;
		}
		catch (DataAccessException ex) {
			throw new OnlineStoreUnavailableException(ex);
		}
	}

	private static byte[][] arguments(String key, OnlineRow row) {
		List<byte[]> arguments = new ArrayList<>();
		arguments.add(bytes(key));
		arguments.add(bytes(Long.toString(row.eventTimeMillis())));
		for (Map.Entry<String, String> value : row.values().entrySet()) {
			arguments.add(bytes(value.getKey()));
			arguments.add(bytes(value.getValue()));
		}
		return arguments.toArray(byte[][]::new);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
