package io.servinglayer.gateway.balancing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.contracts.InstanceAnnouncement;
import io.servinglayer.gateway.routing.WarmVersions;
import io.servinglayer.gateway.system.RedisLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's local table of announced instances, per {@code deployment/version}. It is
 * read from Redis every refresh interval on a thread of its own, so a request never waits
 * on Redis to find an instance. Per routed pool: the index
 * {@code {prefix}instances:{{pool}}} (a sorted set the instances keep: member instanceId,
 * score the epoch millis their announcement expires) gives the live members
 * ({@code ZRANGEBYSCORE now +inf}), then one MGET reads their announcements
 * {@code {prefix}instances:{{pool}}:{instanceId}}. The keyspace is never scanned, however
 * many other keys share the Redis. When Redis cannot be read the last table is kept for a
 * while, then dropped.
 */
public final class InstanceDirectory implements WarmVersions, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(InstanceDirectory.class);

	/** How long after its announcement expired an index member is removed. */
	private static final long PRUNE_AFTER_MS = 60_000;

	private final RedisLink redis;

	private final Supplier<Set<String>> pools;

	private final BalancingSettings settings;

	private final Clock clock;

	private final InstanceBreakers breakers;

	/** Members added to the announcement later are ignored, as the layout promises. */
	private final JsonMapper json = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "instance-directory");
		thread.setDaemon(true);
		return thread;
	});

	private volatile Map<String, List<Instance>> byVersion = Map.of();

	private volatile Instant refreshedAt = Instant.EPOCH;

	private volatile boolean failing;

	/**
	 * @param breakers told after every refresh which instances are still announced, so it
	 * forgets the others
	 */
	InstanceDirectory(RedisLink redis, Supplier<Set<String>> pools, BalancingSettings settings, Clock clock,
			InstanceBreakers breakers, MeterRegistry meters) {
		this.redis = redis;
		this.pools = pools;
		this.settings = settings;
		this.clock = clock;
		this.breakers = breakers;
		Gauge.builder("gateway.instances.age", this, InstanceDirectory::ageSeconds)
			.description("Seconds since the instance table was last read from Redis")
			.baseUnit("seconds")
			.register(meters);
	}

	public void start() {
		this.refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, this.settings.refreshInterval().toMillis(),
				TimeUnit.MILLISECONDS);
	}

	/** The instances announcing {@code deployment/version} ready; empty when none. */
	public List<Instance> ready(String deployment, int version) {
		if (stale()) {
			return List.of();
		}
		return this.byVersion.getOrDefault(deployment + "/" + version, List.of());
	}

	@Override
	public boolean isWarm(String deployment, int version) {
		return !ready(deployment, version).isEmpty();
	}

	private boolean stale() {
		return this.refreshedAt.plus(this.settings.staleAfter()).isBefore(this.clock.instant());
	}

	private void refreshQuietly() {
		try {
			refresh();
			if (this.failing) {
				logger.info("Reading announced instances from Redis works again");
				this.failing = false;
			}
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				logger.warn("Could not read announced instances from Redis; keeping the last table for {}: {}",
						this.settings.staleAfter(), ex.getMessage());
				this.failing = true;
			}
		}
	}

	void refresh() {
		long deadline = System.nanoTime() + this.settings.refreshTimeout().toNanos();
		RedisClusterCommands<String, String> commands = this.redis.connection().sync();
		Map<String, List<Instance>> table = new HashMap<>();
		// Every live announcement, with ready versions or none for now: a breaker
		// outlives
		// a moment in which its instance has nothing warm.
		Set<Instance> announced = new HashSet<>();
		long now = this.clock.millis();
		for (String pool : this.pools.get()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"reading pool " + pool + " took longer than " + this.settings.refreshTimeout());
			}
			String index = InstanceAnnouncement.indexKey(this.redis.keyPrefix(), pool);
			// Members whose announcement expired long ago (crashed instances) are pruned.
			commands.zremrangebyscore(index, Range.create(Double.NEGATIVE_INFINITY, (double) (now - PRUNE_AFTER_MS)));
			List<String> ids = commands.zrangebyscore(index,
					Range.from(Range.Boundary.including((double) now), Range.Boundary.unbounded()),
					Limit.create(0, this.settings.maxInstances()));
			if (ids.isEmpty()) {
				continue;
			}
			String[] keys = ids.stream()
				.map((id) -> InstanceAnnouncement.key(this.redis.keyPrefix(), pool, id))
				.toArray(String[]::new);
			for (KeyValue<String, String> entry : commands.mget(keys)) {
				if (entry.hasValue()) {
					Instance instance = parse(entry.getValue());
					if (instance != null) {
						announced.add(instance);
						for (String version : instance.readyVersions()) {
							table.computeIfAbsent(version, (key) -> new ArrayList<>()).add(instance);
						}
					}
				}
			}
		}
		Map<String, List<Instance>> frozen = new HashMap<>();
		table.forEach((version, instances) -> frozen.put(version, List.copyOf(instances)));
		this.byVersion = Map.copyOf(frozen);
		this.refreshedAt = this.clock.instant();
		this.breakers.retain(announced);
	}

	private Instance parse(String value) {
		try {
			InstanceAnnouncement announcement = this.json.readValue(value, InstanceAnnouncement.class);
			String baseUrl = announcement.baseUrl();
			if (announcement.instanceId() == null || baseUrl == null
					|| !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
				return null;
			}
			// A URL the model-call path could not connect to (no host, as with an
			// underscore in the name) is no instance to route to.
			InstanceConnections.Origin.of(baseUrl);
			return new Instance(announcement.instanceId(), baseUrl.replaceAll("/+$", ""), announcement.pool(),
					(announcement.readyVersions() != null) ? Set.copyOf(announcement.readyVersions()) : Set.of());
		}
		catch (RuntimeException ex) {
			logger.debug("Ignoring an announcement that is not ours: {}", ex.getMessage());
			return null;
		}
	}

	/**
	 * Seconds since the last read from Redis; no value (NaN) before the first, so an
	 * alert on staleness does not fire on a gateway that has just started.
	 */
	private double ageSeconds() {
		Instant refreshed = this.refreshedAt;
		if (refreshed.equals(Instant.EPOCH)) {
			return Double.NaN;
		}
		return (this.clock.instant().toEpochMilli() - refreshed.toEpochMilli()) / 1000.0;
	}

	@Override
	public void close() {
		this.refresher.shutdownNow();
	}

}
