package io.servinglayer.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * The Redis server of this test JVM, chosen once: the server named by
 * {@code SERVINGLAYER_TEST_REDIS_URL}, else a Testcontainers container when Docker
 * answers, else an embedded Redis. Each caller of {@link #newKeyPrefix()} gets a prefix
 * of its own; keys under the prefixes this JVM handed out are deleted when it exits.
 */
public final class TestRedis {

	/** Environment variable naming an existing server, as {@code redis://host:port}. */
	public static final String URL_VARIABLE = "SERVINGLAYER_TEST_REDIS_URL";

	private static final Logger logger = LoggerFactory.getLogger(TestRedis.class);

	private static TestRedis instance;

	private final String source;

	private final String host;

	private final int port;

	private final Runnable stop;

	private final List<String> prefixes = new ArrayList<>();

	TestRedis(String source, String host, int port, Runnable stop) {
		this.source = source;
		this.host = host;
		this.port = port;
		this.stop = stop;
		Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp, "test-redis-cleanup"));
	}

	/** The server of this JVM, started or located on first use. */
	public static synchronized TestRedis get() {
		if (instance == null) {
			instance = locate();
		}
		return instance;
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.port;
	}

	/**
	 * Where this JVM's server came from: {@code environment}, {@code testcontainers} or
	 * {@code embedded}.
	 */
	public String source() {
		return this.source;
	}

	/** A key prefix no other test class or run uses, ending in {@code :}. */
	public synchronized String newKeyPrefix() {
		String prefix = "sl-test:" + UUID.randomUUID().toString().substring(0, 13) + ":";
		this.prefixes.add(prefix);
		return prefix;
	}

	/**
	 * Deletes the keys under the prefixes handed out, and stops a server this JVM
	 * started.
	 */
	public synchronized void cleanUp() {
		RedisClient client = RedisClient.create(
				RedisURI.builder().withHost(this.host).withPort(this.port).withTimeout(Duration.ofSeconds(2)).build());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> commands = connection.sync();
			for (String prefix : this.prefixes) {
				ScanCursor cursor = ScanCursor.INITIAL;
				do {
					KeyScanCursor<String> page = commands.scan(cursor,
							ScanArgs.Builder.matches(prefix + "*").limit(500));
					if (!page.getKeys().isEmpty()) {
						commands.del(page.getKeys().toArray(String[]::new));
					}
					cursor = page;
				}
				while (!cursor.isFinished());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not delete test keys from Redis: {}", ex.getMessage());
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
			this.stop.run();
		}
	}

	private static TestRedis locate() {
		String url = System.getenv(URL_VARIABLE);
		if (url != null && !url.isBlank()) {
			URI uri = URI.create(url);
			if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
				throw new IllegalArgumentException(
						URL_VARIABLE + " must look like redis://host:port, got '" + url + "'");
			}
			int port = (uri.getPort() > 0) ? uri.getPort() : 6379;
			logger.info("Tests use the Redis server at {}:{} ({})", uri.getHost(), port, URL_VARIABLE);
			return new TestRedis("environment", uri.getHost(), port, () -> {
			});
		}
		if (DockerAvailability.answers()) {
			GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
			container.start();
			logger.info("Tests use a Testcontainers Redis on port {}", container.getFirstMappedPort());
			return new TestRedis("testcontainers", container.getHost(), container.getFirstMappedPort(),
					container::stop);
		}
		return startEmbedded();
	}

	/**
	 * Starts an embedded Redis of its own, whatever the environment says; for tests that
	 * stop it.
	 */
	public static TestRedis startEmbedded() {
		int port = freePort();
		redis.embedded.RedisServer server;
		try {
			server = new redis.embedded.RedisServer(port);
			server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start an embedded Redis", ex);
		}
		logger.info("Tests use an embedded Redis on port {}", port);
		return new TestRedis("embedded", "localhost", port, () -> {
			try {
				server.stop();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
