package io.servinglayer.inferenceservice.features;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisFuture;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.contracts.OnlineFeatureRow;
import io.servinglayer.routingclient.SharedRedisClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads feature rows from Redis, in the layout the control plane writes
 * ({@link OnlineFeatureRow}): one hash per entity at
 * {@code {prefix}fs:{view}:{version}:{entity}}, a field per feature and
 * {@code @event_time} in epoch milliseconds. All rows of one read go out in one pipelined
 * round trip (on a Redis Cluster, one per node holding some of the rows). The connection
 * is opened in the background, from the instance's {@link SharedRedisClient}, and
 * reopened by Lettuce after a drop; while there is none, reads fail at once instead of
 * queueing, so a Redis outage costs requests no waiting.
 */
public class OnlineStore implements AutoCloseable {

	static final String EVENT_TIME_FIELD = OnlineFeatureRow.EVENT_TIME;

	private static final Logger logger = LoggerFactory.getLogger(OnlineStore.class);

	private static final long RECONNECT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final SharedRedisClient client;

	private final boolean ownsClient;

	private final String keyPrefix;

	private final Duration timeout;

	private final Counter roundTrips;

	private final Object lock = new Object();

	private CompletableFuture<SharedRedisClient.Connection> connection;

	private long lastAttemptNanos;

	/** A store with a client of its own, to the single node at {@code redisUri}. */
	public OnlineStore(String redisUri, FeatureSettings settings, MeterRegistry meters) {
		this(SharedRedisClient.create(redisUri, false, Duration.ofSeconds(1)), true, settings, meters);
	}

	/** A store reading through the instance's client, which stays open when it closes. */
	public OnlineStore(SharedRedisClient client, FeatureSettings settings, MeterRegistry meters) {
		this(client, false, settings, meters);
	}

	private OnlineStore(SharedRedisClient client, boolean ownsClient, FeatureSettings settings, MeterRegistry meters) {
		this.client = client;
		this.ownsClient = ownsClient;
		this.keyPrefix = settings.keyPrefix();
		this.timeout = settings.storeTimeout();
		this.roundTrips = Counter.builder("features.store.reads")
			.description("Pipelined reads sent to the online store (one round trip each)")
			.register(meters);
	}

	String key(RowKey row) {
		return OnlineFeatureRow.key(this.keyPrefix, row.view(), row.version(), row.entity());
	}

	/**
	 * Reads the rows in one round trip; a key without a row maps to
	 * {@link StoredRow#ABSENT}. Fails when Redis cannot be reached or does not answer
	 * within the store timeout.
	 */
	public CompletableFuture<Map<RowKey, StoredRow>> read(List<RowKey> keys) {
		CompletableFuture<SharedRedisClient.Connection> opening = connection();
		if (opening.isDone() && !opening.isCompletedExceptionally()) {
			return read(opening.join(), keys);
		}
		// Still connecting (just started, or Redis came back): wait for it within the
		// store timeout, like a slow read.
		return opening.thenCompose((open) -> read(open, keys))
			.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	private CompletableFuture<Map<RowKey, StoredRow>> read(SharedRedisClient.Connection open, List<RowKey> keys) {
		List<RedisFuture<Map<String, String>>> replies = new ArrayList<>(keys.size());
		synchronized (open) {
			for (RowKey key : keys) {
				replies.add(open.async().hgetall(key(key)));
			}
			open.connection().flushCommands();
		}
		this.roundTrips.increment();
		CompletableFuture<?>[] all = replies.stream()
			.map(CompletionStage::toCompletableFuture)
			.toArray(CompletableFuture[]::new);
		return CompletableFuture.allOf(all)
			.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
			.thenApply((done) -> {
				Map<RowKey, StoredRow> rows = new HashMap<>();
				for (int i = 0; i < keys.size(); i++) {
					rows.put(keys.get(i), row(replies.get(i).toCompletableFuture().join()));
				}
				return rows;
			});
	}

	private static StoredRow row(Map<String, String> hash) {
		String eventTime = (hash != null) ? hash.get(EVENT_TIME_FIELD) : null;
		if (eventTime == null) {
			return StoredRow.ABSENT;
		}
		try {
			Map<String, String> values = new HashMap<>(hash);
			values.remove(EVENT_TIME_FIELD);
			return new StoredRow(values, Instant.ofEpochMilli(Long.parseLong(eventTime)));
		}
		catch (NumberFormatException ex) {
			// Written by something that broke the layout: no usable row.
			return StoredRow.ABSENT;
		}
	}

	/** Opens the connection in the background, so the first request need not wait. */
	public void start() {
		connection();
	}

	/**
	 * The connection, open or being opened; a failed one is tried again at most once a
	 * second.
	 */
	private CompletableFuture<SharedRedisClient.Connection> connection() {
		synchronized (this.lock) {
			long now = System.nanoTime();
			if (this.connection == null || (this.connection.isCompletedExceptionally()
					&& now - this.lastAttemptNanos > RECONNECT_INTERVAL_NANOS)) {
				this.lastAttemptNanos = now;
				this.connection = this.client.connectAsync(this.timeout).thenApply((opened) -> {
					// Commands are flushed by read(), so one read is one round trip.
					opened.connection().setAutoFlushCommands(false);
					logger.info("Connected to the online store at {}", this.client.location());
					return opened;
				});
				this.connection.exceptionally((failure) -> {
					logger.warn("Cannot reach the online store at {}: {}", this.client.location(),
							failure.getMessage());
					return null;
				});
			}
			return this.connection;
		}
	}

	@Override
	public void close() {
		synchronized (this.lock) {
			if (this.connection != null && this.connection.isDone() && !this.connection.isCompletedExceptionally()) {
				this.connection.join().close();
			}
		}
		if (this.ownsClient) {
			this.client.close();
		}
	}

}
