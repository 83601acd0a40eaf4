package io.servinglayer.gateway.system;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One multiplexed Redis connection for the whole gateway. The gateway starts and serves
 * without Redis: until the first connection succeeds (it is retried in the background)
 * and while a connection is down, {@link #connection()} fails at once instead of queueing
 * commands, so every caller takes its no-Redis decision without waiting.
 */
public final class RedisLink implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisLink.class);

	private final RedisSettings settings;

	private final RedisClient client;

	private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "redis-connect");
		thread.setDaemon(true);
		return thread;
	});

	private volatile StatefulRedisConnection<String, String> connection;

	public RedisLink(RedisSettings settings) {
		this.settings = settings;
		RedisURI uri = RedisURI.create(settings.uri());
		uri.setTimeout(settings.commandTimeout());
		this.client = RedisClient.create(uri);
		this.client.setOptions(ClientOptions.builder()
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).build())
			.timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
			.build());
	}

	public void start() {
		this.connector.execute(this::connect);
	}

	private void connect() {
		try {
			this.connection = this.client.connect();
			logger.info("Connected to Redis at {}", masked(this.settings.uri()));
		}
		catch (RuntimeException ex) {
			logger.warn("Redis at {} not reachable ({}); deciding without it and retrying", masked(this.settings.uri()),
					ex.getClass().getSimpleName());
			this.connector.schedule(this::connect, 2, TimeUnit.SECONDS);
		}
	}

	/**
	 * The connection.
	 * @throws RedisUnavailableException when not connected yet
	 */
	public StatefulRedisConnection<String, String> connection() {
		StatefulRedisConnection<String, String> held = this.connection;
		if (held == null) {
			throw new RedisUnavailableException("not connected to Redis at " + masked(this.settings.uri()));
		}
		return held;
	}

	/** The URI without its user information (which may hold a password). */
	static String masked(String uri) {
		return uri.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^@/]*@", "$1***@");
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
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
	}

	/** Redis is not connected. */
	public static final class RedisUnavailableException extends RuntimeException {

		RedisUnavailableException(String message) {
			super(message, null, false, false);
		}

	}

}
