package io.servinglayer.gateway.system;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.servinglayer.routingclient.SharedRedisClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One multiplexed Redis connection for the whole gateway, to a single node or to a Redis
 * Cluster, opened from the gateway's one {@link SharedRedisClient}. The gateway starts
 * and serves without Redis: until the first connection succeeds (it is retried in the
 * background) and while a connection is down, {@link #connection()} fails at once instead
 * of queueing commands, so every caller takes its no-Redis decision without waiting.
 */
public final class RedisLink implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisLink.class);

	private final RedisSettings settings;

	private final SharedRedisClient client;

	private final boolean ownsClient;

	private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "redis-connect");
		thread.setDaemon(true);
		return thread;
	});

	private volatile SharedRedisClient.Connection connection;

	/** A link with a client of its own, closed with it. */
	public RedisLink(RedisSettings settings) {
		this(settings, client(settings), true);
	}

	/**
	 * A link through the gateway's client, which stays open when the link closes.
	 */
	public RedisLink(RedisSettings settings, SharedRedisClient client) {
		this(settings, client, false);
	}

	private RedisLink(RedisSettings settings, SharedRedisClient client, boolean ownsClient) {
		this.settings = settings;
		this.client = client;
		this.ownsClient = ownsClient;
	}

	/** The gateway's one Redis client, as {@code settings} describe it. */
	public static SharedRedisClient client(RedisSettings settings) {
		return SharedRedisClient.create(settings.uri(), settings.cluster(), settings.connectTimeout());
	}

	public void start() {
		this.connector.execute(this::connect);
	}

	private void connect() {
		try {
			this.connection = this.client.connect(this.settings.commandTimeout());
			logger.info("Connected to Redis at {}", this.client.location());
		}
		catch (RuntimeException ex) {
			logger.warn("Redis at {} not reachable ({}); deciding without it and retrying", this.client.location(),
					ex.getClass().getSimpleName());
			this.connector.schedule(this::connect, 2, TimeUnit.SECONDS);
		}
	}

	/**
	 * The connection.
	 * @throws RedisUnavailableException when not connected yet
	 */
	public SharedRedisClient.Connection connection() {
		SharedRedisClient.Connection held = this.connection;
		if (held == null) {
			throw new RedisUnavailableException("not connected to Redis at " + this.client.location());
		}
		return held;
	}

	/** The URI without its user information (which may hold a password). */
	static String masked(String uri) {
		return SharedRedisClient.masked(uri);
	}

	public String keyPrefix() {
		return this.settings.keyPrefix();
	}

	public Duration commandTimeout() {
		return this.settings.commandTimeout();
	}

	@Override
	public void close() {
		this.connector.shutdownNow();
		SharedRedisClient.Connection held = this.connection;
		if (held != null) {
			held.close();
		}
		if (this.ownsClient) {
			this.client.close();
		}
	}

	/** Redis is not connected. */
	public static final class RedisUnavailableException extends RuntimeException {

		RedisUnavailableException(String message) {
			super(message, null, false, false);
		}

	}

}
