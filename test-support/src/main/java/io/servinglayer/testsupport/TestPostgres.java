package io.servinglayer.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server of this test JVM, chosen once: the server named by
 * {@code SERVINGLAYER_TEST_POSTGRES_URL}, else a Testcontainers container when Docker
 * answers, else an embedded PostgreSQL. Each caller of {@link #createDatabase()} gets a
 * fresh database; the databases this JVM created are dropped when it exits, so runs never
 * see each other's data.
 */
public final class TestPostgres {

	/**
	 * Environment variable naming an existing server: a JDBC URL or a
	 * {@code postgresql://} URI.
	 */
	public static final String URL_VARIABLE = "SERVINGLAYER_TEST_POSTGRES_URL";

	private static final Logger logger = LoggerFactory.getLogger(TestPostgres.class);

	private static TestPostgres instance;

	private final Server server;

	private final List<String> created = new ArrayList<>();

	private TestPostgres(Server server) {
		this.server = server;
		Runtime.getRuntime().addShutdownHook(new Thread(this::dropCreatedDatabases, "test-postgres-cleanup"));
	}

	/** The server of this JVM, started or located on first use. */
	public static synchronized TestPostgres get() {
		if (instance == null) {
			instance = new TestPostgres(locate());
		}
		return instance;
	}

	/** Creates an empty database of its own for one test class. */
	public synchronized Database createDatabase() {
		String name = "sl_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		execute("CREATE DATABASE " + name);
		this.created.add(name);
		return new Database(this.server.jdbcUrl(name), this.server.username(), this.server.password(), name);
	}

	/**
	 * Where this JVM's server came from: {@code environment}, {@code testcontainers} or
	 * {@code embedded}.
	 */
	public String source() {
		return this.server.source();
	}

	private void execute(String sql) {
		try (Connection connection = DriverManager.getConnection(this.server.jdbcUrl(this.server.adminDatabase()),
				this.server.username(), this.server.password()); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL refused '" + sql + "': " + ex.getMessage(), ex);
		}
	}

	private synchronized void dropCreatedDatabases() {
		for (String name : this.created) {
			try {
				execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
			}
			catch (RuntimeException ex) {
				logger.warn("Could not drop test database {}: {}", name, ex.getMessage());
			}
		}
		this.server.stop().run();
	}

	private static Server locate() {
		String url = System.getenv(URL_VARIABLE);
		if (url != null && !url.isBlank()) {
			Server server = Server.parse(url);
			logger.info("Tests use the PostgreSQL server at {} ({})", server.host() + ":" + server.port(),
					URL_VARIABLE);
			return server;
		}
		if (DockerAvailability.answers()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
			container.start();
			logger.info("Tests use a Testcontainers PostgreSQL on port {}", container.getFirstMappedPort());
			return new Server("testcontainers", container.getHost(), container.getFirstMappedPort(),
					container.getUsername(), container.getPassword(), container.getDatabaseName(), container::stop);
		}
		return startEmbedded();
	}

	static Server startEmbedded() {
		try {
			EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
			logger.info("Tests use an embedded PostgreSQL on port {}", embedded.getPort());
			return new Server("embedded", "localhost", embedded.getPort(), "postgres", "", "postgres", () -> {
				try {
					embedded.close();
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start an embedded PostgreSQL", ex);
		}
	}

	/** A database of one test class. */
	public record Database(String jdbcUrl, String username, String password, String name) {
	}

	record Server(String source, String host, int port, String username, String password, String adminDatabase,
			Runnable stop) {

		String jdbcUrl(String database) {
			return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + database;
		}

		/**
		 * Reads {@code jdbc:postgresql://host:port/db?user=u&password=p} or
		 * {@code postgresql://u:p@host:port/db}.
		 */
		static Server parse(String url) {
			URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
			if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
				throw new IllegalArgumentException(
						URL_VARIABLE + " must be a postgresql:// or jdbc:postgresql:// URL, got '"
								+ url.replaceAll(":[^:@/]*@", ":***@") + "'");
			}
			String username = "postgres";
			String password = "";
			if (uri.getUserInfo() != null) {
				String[] parts = uri.getUserInfo().split(":", 2);
				username = parts[0];
				password = (parts.length > 1) ? parts[1] : "";
			}
			if (uri.getQuery() != null) {
				for (String pair : uri.getQuery().split("&")) {
					String[] kv = pair.split("=", 2);
					if (kv[0].equals("user")) {
						username = kv.length > 1 ? kv[1] : "";
					}
					else if (kv[0].equals("password")) {
						password = kv.length > 1 ? kv[1] : "";
					}
				}
			}
			String path = (uri.getPath() == null || uri.getPath().length() <= 1) ? "postgres"
					: uri.getPath().substring(1);
			int port = (uri.getPort() > 0) ? uri.getPort() : 5432;
			return new Server("environment", uri.getHost(), port, username, password, path, () -> {
			});
		}

	}

}
