package io.servinglayer.inferenceservice.announce;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.lettuce.core.ScriptOutputType;
import io.servinglayer.inferenceservice.serving.VersionState;
import io.servinglayer.inferenceservice.serving.VersionStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.servinglayer.contracts.InstanceAnnouncement;
import io.servinglayer.routingclient.SharedRedisClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells the gateways this instance exists and which versions it has warm: a JSON document
 * under {@code {prefix}instances:{{pool}}:{instanceId}} with a short TTL, refreshed on
 * every heartbeat and deleted on graceful shutdown. A crashed instance drops out when its
 * key expires.
 *
 * <p>
 * The document: <pre>
 * {"instanceId": "i-1", "baseUrl": "http://10.0.0.7:8082", "pool": "default",
 *  "readyVersions": ["fraud/1"],
 *  "versions": [{"deployment": "fraud", "version": 1, "state": "warm"},
 *               {"deployment": "fraud", "version": 2, "state": "failed", "reason": "..."}],
 *  "announcedAt": "2026-11-28T10:00:00Z",
 *  "featureViews": [{"name": "fraud_features", "version": 1, "cacheHits": 90, "cacheMisses": 10,
 *                    "rowsRead": 98, "rowAgeMillisSum": 196000, "oldestRowAgeMillis": 4000}]}
 * </pre> {@code readyVersions} ({@code deployment/version}) is what the gateways route
 * by; {@code versions} is the state of every version assigned here ({@code loading},
 * {@code warm}, or {@code failed} with its {@code reason}), which the control plane
 * collects into each deployment's status; {@code featureViews} (left out until the
 * instance reads one) is what it measured reading online rows, which the control plane
 * collects into each feature view's status. Readers ignore members they do not know.
 *
 * <p>
 * So that gateways never scan the keyspace, the pool also has an index: the sorted set
 * {@code {prefix}instances:{{pool}}} with member {@code instanceId} and score the epoch
 * millis at which this heartbeat's announcement expires. Each heartbeat sets the document
 * and the index entry in one script (atomic, one round trip; both keys carry the pool as
 * hash tag, so on a Redis Cluster they share a slot); shutdown removes both. A crashed
 * instance's index entry stays with a past score, which gateways skip and prune.
 */
public final class InstanceAnnouncer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(InstanceAnnouncer.class);

	private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

	private static final int INDEX_TTL_FACTOR = 10;

	private static final Duration CHANGE_CHECK = Duration.ofMillis(200);

	/**
	 * KEYS: the document, the pool's index; ARGV: the document, its TTL in millis, its
	 * expiry in epoch millis, the instance id, the index's TTL in millis.
	 */
	private static final String ANNOUNCE = """
			redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
			redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
			redis.call('PEXPIRE', KEYS[2], ARGV[5])
			return 1""";

	/** KEYS: the document, the pool's index; ARGV: the instance id. */
	private static final String WITHDRAW = """
			redis.call('DEL', KEYS[1])
			redis.call('ZREM', KEYS[2], ARGV[1])
			return 1""";

	/**
	 * Longer failure reasons are cut, so one stack of causes cannot bloat the document.
	 */
	static final int MAX_REASON_LENGTH = 500;

	private final AnnouncementSettings settings;

	private final String pool;

	private final String key;

	private final String index;

	private final Supplier<List<String>> readyVersions;

	private final Supplier<? extends Collection<VersionStatus>> statuses;

	private final Supplier<List<InstanceAnnouncement.FeatureViewReading>> featureViews;

	private final Clock clock;

	private final SharedRedisClient redis;

	private final boolean ownsRedis;

	/**
	 * A version's {@code reason} is left out unless it failed, as the layout documents.
	 */
	private final JsonMapper json = JsonMapper.builder()
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "instance-announcer");
		thread.setDaemon(true);
		return thread;
	});

	private SharedRedisClient.Connection connection;

	private volatile boolean failing;

	/**
	 * What the last announcement said was warm, and the state of each version, to
	 * announce a change without waiting.
	 */
	private volatile Announced announced = new Announced(List.of(), List.of());

	/**
	 * An announcer of an instance that reports no feature view readings.
	 * @param readyVersions the versions warm here, as {@code deployment/version}
	 * @param statuses the state of every version assigned here
	 */
	public InstanceAnnouncer(AnnouncementSettings settings, String pool, String redisUri,
			Supplier<List<String>> readyVersions, Supplier<? extends Collection<VersionStatus>> statuses, Clock clock) {
		this(settings, pool, redisUri, readyVersions, statuses, List::of, clock);
	}

	/**
	 * @param readyVersions the versions warm here, as {@code deployment/version}
	 * @param statuses the state of every version assigned here
	 * @param featureViews what this instance measured reading each feature view, taken
	 * once per announcement (heartbeats and changes alike); an empty list leaves the
	 * member out
	 */
	public InstanceAnnouncer(AnnouncementSettings settings, String pool, String redisUri,
			Supplier<List<String>> readyVersions, Supplier<? extends Collection<VersionStatus>> statuses,
			Supplier<List<InstanceAnnouncement.FeatureViewReading>> featureViews, Clock clock) {
		this(settings, pool, SharedRedisClient.create(redisUri, false, REDIS_TIMEOUT), true, readyVersions, statuses,
				featureViews, clock);
	}

	/**
	 * An announcer writing through the instance's client (single node or cluster), which
	 * stays open when the announcer closes.
	 * @param readyVersions the versions warm here, as {@code deployment/version}
	 * @param statuses the state of every version assigned here
	 * @param featureViews what this instance measured reading each feature view
	 */
	public InstanceAnnouncer(AnnouncementSettings settings, String pool, SharedRedisClient redis,
			Supplier<List<String>> readyVersions, Supplier<? extends Collection<VersionStatus>> statuses,
			Supplier<List<InstanceAnnouncement.FeatureViewReading>> featureViews, Clock clock) {
		this(settings, pool, redis, false, readyVersions, statuses, featureViews, clock);
	}

	private InstanceAnnouncer(AnnouncementSettings settings, String pool, SharedRedisClient redis, boolean ownsRedis,
			Supplier<List<String>> readyVersions, Supplier<? extends Collection<VersionStatus>> statuses,
			Supplier<List<InstanceAnnouncement.FeatureViewReading>> featureViews, Clock clock) {
		this.settings = settings;
		this.pool = pool;
		this.index = InstanceAnnouncement.indexKey(settings.keyPrefix(), pool);
		this.key = InstanceAnnouncement.key(settings.keyPrefix(), pool, settings.instanceId());
		this.readyVersions = readyVersions;
		this.statuses = statuses;
		this.featureViews = featureViews;
		this.clock = clock;
		this.redis = redis;
		this.ownsRedis = ownsRedis;
	}

	public String key() {
		return this.key;
	}

	/**
	 * The pool's index of announced instances (sorted set, score: expiry epoch millis).
	 */
	public String indexKey() {
		return this.index;
	}

	public void start() {
		this.heartbeat.scheduleWithFixedDelay(this::announce, 0, this.settings.heartbeat().toMillis(),
				TimeUnit.MILLISECONDS);
		// A version that became warm (or was unloaded) is announced at once, not up to a
		// heartbeat later: a gateway otherwise keeps a new stable version on its
		// fallback. So is any other change of state (loading, failed), which the control
		// plane shows as the deployment's status.
		this.heartbeat.scheduleWithFixedDelay(this::announceIfChanged, CHANGE_CHECK.toMillis(), CHANGE_CHECK.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	private void announceIfChanged() {
		if (!current().equals(this.announced)) {
			announce();
		}
	}

	private Announced current() {
		return new Announced(this.readyVersions.get(), versions(this.statuses.get()));
	}

	/**
	 * Each version's state as announced, in a stable order (by deployment, then version),
	 * so that comparing two announcements compares their content.
	 */
	private static List<InstanceAnnouncement.AssignedVersion> versions(Collection<VersionStatus> statuses) {
		List<VersionStatus> sorted = new ArrayList<>(statuses);
		sorted.sort(Comparator.comparing(VersionStatus::deployment).thenComparingInt(VersionStatus::version));
		List<InstanceAnnouncement.AssignedVersion> versions = new ArrayList<>(sorted.size());
		for (VersionStatus status : sorted) {
			versions.add(new InstanceAnnouncement.AssignedVersion(status.deployment(), status.version(),
					state(status.state()), (status.state() == VersionState.FAILED) ? reason(status.reason()) : null));
		}
		return versions;
	}

	/**
	 * The state's name in the announcement: {@code loading}, {@code warm},
	 * {@code failed}.
	 */
	private static String state(VersionState state) {
		return switch (state) {
			case LOADING -> InstanceAnnouncement.LOADING;
			case READY -> InstanceAnnouncement.WARM;
			case FAILED -> InstanceAnnouncement.FAILED;
		};
	}

	private static String reason(String reason) {
		if (reason == null || reason.isBlank()) {
			return "unknown";
		}
		return (reason.length() <= MAX_REASON_LENGTH) ? reason : reason.substring(0, MAX_REASON_LENGTH - 1) + "…";
	}

	void announce() {
		try {
			Announced current = current();
			// Not part of what counts as a change: the counts move with every request.
			List<InstanceAnnouncement.FeatureViewReading> readings = this.featureViews.get();
			InstanceAnnouncement document = new InstanceAnnouncement(this.settings.instanceId(),
					this.settings.baseUrl(), this.pool, current.readyVersions(), current.versions(),
					this.clock.instant().toString(), readings.isEmpty() ? null : readings);
			long ttlMillis = this.settings.ttl().toMillis();
			long expiresAt = this.clock.millis() + ttlMillis;
			String value = this.json.writeValueAsString(document);
			// The index outlives its members; it goes away once no instance of the pool
			// has announced itself for a while.
			connection().async()
				.eval(ANNOUNCE, ScriptOutputType.INTEGER, new String[] { this.key, this.index }, value,
						Long.toString(ttlMillis), Long.toString(expiresAt), this.settings.instanceId(),
						Long.toString(ttlMillis * INDEX_TTL_FACTOR))
				.get(REDIS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			this.announced = current;
			if (this.failing) {
				logger.info("Announcing this instance in Redis works again");
				this.failing = false;
			}
		}
		catch (RuntimeException | ExecutionException | TimeoutException ex) {
			failed(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void failed(Exception ex) {
		if (!this.failing) {
			logger.warn("Could not announce this instance in Redis; gateways will not route to it until this works: {}",
					ex.getMessage());
			this.failing = true;
		}
	}

	private synchronized SharedRedisClient.Connection connection() {
		if (this.connection == null || !this.connection.isOpen()) {
			if (this.connection != null) {
				this.connection.close();
			}
			this.connection = this.redis.connect(REDIS_TIMEOUT);
		}
		return this.connection;
	}

	@Override
	public void close() {
		this.heartbeat.shutdownNow();
		try {
			// An announcement under way must land before the withdrawal, not after it.
			this.heartbeat.awaitTermination(REDIS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			connection().async()
				.eval(WITHDRAW, ScriptOutputType.INTEGER, new String[] { this.key, this.index },
						this.settings.instanceId())
				.get(REDIS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException | ExecutionException | TimeoutException ex) {
			logger.warn("Could not withdraw this instance's announcement; it expires in {}: {}", this.settings.ttl(),
					ex.getMessage());
		}
		finally {
			synchronized (this) {
				if (this.connection != null) {
					this.connection.close();
				}
			}
			if (this.ownsRedis) {
				this.redis.close();
			}
		}
	}

	/** What one announcement says: the warm versions and the state of each. */
	private record Announced(List<String> readyVersions, List<InstanceAnnouncement.AssignedVersion> versions) {
	}

}
