package io.servinglayer.inferenceservice.announce;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells the gateways this instance exists and which versions it has warm: a JSON document
 * under {@code {prefix}instances:{pool}:{instanceId}} with a short TTL, refreshed on
 * every heartbeat and deleted on graceful shutdown. A crashed instance drops out when its
 * key expires.
 */
public final class InstanceAnnouncer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(InstanceAnnouncer.class);

	private final AnnouncementSettings settings;

	private final String pool;

	private final String key;

	private final Supplier<List<String>> readyVersions;

	private final Clock clock;

	private final RedisClient client;

	private final JsonMapper json = JsonMapper.builder().build();

	private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "instance-announcer");
		thread.setDaemon(true);
		return thread;
	});

	private StatefulRedisConnection<String, String> connection;

	private volatile boolean failing;

	/**
	 * @param readyVersions the versions warm here, as {@code deployment/version}
	 */
	public InstanceAnnouncer(AnnouncementSettings settings, String pool, String redisUri,
			Supplier<List<String>> readyVersions, Clock clock) {
		this.settings = settings;
		this.pool = pool;
		this.key = settings.keyPrefix() + "instances:" + pool + ":" + settings.instanceId();
		this.readyVersions = readyVersions;
		this.clock = clock;
		RedisURI uri = RedisURI.create(redisUri);
		uri.setTimeout(Duration.ofSeconds(2));
		this.client = RedisClient.create(uri);
	}

	public String key() {
		return this.key;
	}

	public void start() {
		this.heartbeat.scheduleWithFixedDelay(this::announce, 0, this.settings.heartbeat().toMillis(),
				TimeUnit.MILLISECONDS);
	}

	void announce() {
		try {
			Map<String, Object> document = new LinkedHashMap<>();
			document.put("instanceId", this.settings.instanceId());
			document.put("baseUrl", this.settings.baseUrl());
			document.put("pool", this.pool);
			document.put("readyVersions", this.readyVersions.get());
			document.put("announcedAt", this.clock.instant().toString());
			connection().sync()
				.set(this.key, this.json.writeValueAsString(document),
						SetArgs.Builder.px(this.settings.ttl().toMillis()));
			if (this.failing) {
				logger.info("Announcing this instance in Redis works again");
				this.failing = false;
			}
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				logger.warn(
						"Could not announce this instance in Redis; gateways will not route to it until this works: {}",
						ex.getMessage());
				this.failing = true;
			}
		}
	}

	private synchronized StatefulRedisConnection<String, String> connection() {
		if (this.connection == null || !this.connection.isOpen()) {
			this.connection = this.client.connect();
		}
		return this.connection;
	}

	@Override
	public void close() {
		this.heartbeat.shutdownNow();
		try {
			connection().sync().del(this.key);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not withdraw this instance's announcement; it expires in {}: {}", this.settings.ttl(),
					ex.getMessage());
		}
		finally {
			this.client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
	}

}
