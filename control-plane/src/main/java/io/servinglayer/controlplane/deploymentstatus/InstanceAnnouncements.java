package io.servinglayer.controlplane.deploymentstatus;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.servinglayer.contracts.InstanceAnnouncement;
import io.servinglayer.controlplane.system.RedisNamespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the announcements of a pool's live inference instances (written by the inference
 * service's {@code InstanceAnnouncer}): the pool's index, the sorted set
 * {@code {prefix}instances:{{pool}}} scored by each announcement's expiry, read from now
 * to {@code +inf} (ZRANGEBYSCORE, never a scan of the keyspace), then the live instances'
 * documents {@code {prefix}instances:{{pool}}:{instanceId}} in one MGET. Two round trips,
 * each bounded by {@code spring.data.redis.timeout}.
 */
@Component
public class InstanceAnnouncements {

	private static final Logger logger = LoggerFactory.getLogger(InstanceAnnouncements.class);

	/**
	 * The most instances read for one pool, as the gateway's
	 * {@code balancing.max-instances} bounds its own read of the index.
	 */
	public static final int MAX_INSTANCES = 1000;

	private final StringRedisTemplate redis;

	private final RedisNamespace namespace;

	/** Reads announcements; members added later are ignored, as the layout promises. */
	private final JsonMapper reader;

	InstanceAnnouncements(StringRedisTemplate redis, RedisNamespace namespace, JsonMapper json) {
		this.redis = redis;
		this.namespace = namespace;
		this.reader = json.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
	}

	/**
	 * The pool's live instances' announcements by instance id, in id order; a document
	 * that is not an announcement is left out.
	 * @throws DataAccessException when Redis cannot be read
	 */
	public Map<String, InstanceAnnouncement> live(String pool, Instant now) {
		String index = InstanceAnnouncement.indexKey(this.namespace.keyPrefix(), pool);
		Set<String> ids = this.redis.opsForZSet()
			.rangeByScore(index, now.toEpochMilli(), Double.POSITIVE_INFINITY, 0, MAX_INSTANCES);
		Map<String, InstanceAnnouncement> announcements = new TreeMap<>();
		if (ids == null || ids.isEmpty()) {
			return announcements;
		}
		List<String> ordered = List.copyOf(ids);
		List<String> values = this.redis.opsForValue()
			.multiGet(ordered.stream()
				.map((id) -> InstanceAnnouncement.key(this.namespace.keyPrefix(), pool, id))
				.toList());
		for (int i = 0; i < ordered.size(); i++) {
			// A document that expired or was withdrawn since the index was read is not an
			// instance any more.
			String value = (values != null) ? values.get(i) : null;
			if (value == null) {
				continue;
			}
			try {
				announcements.put(ordered.get(i), this.reader.readValue(value, InstanceAnnouncement.class));
			}
			catch (JacksonException ex) {
				logger.debug("Ignoring the announcement of instance {}, which is not one: {}", ordered.get(i),
						ex.getMessage());
			}
		}
		return announcements;
	}

}
