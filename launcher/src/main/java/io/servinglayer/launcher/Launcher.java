package io.servinglayer.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

import io.servinglayer.samplemodels.SyntheticClassifier;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

/**
 * The pieces {@code ./servinglayer up} runs besides the services themselves:
 * <ul>
 * <li>{@code postgres --data-dir DIR --port PORT --database NAME}: an embedded PostgreSQL
 * server that keeps its data in {@code DIR} across restarts, until the process is
 * stopped;</li>
 * <li>{@code redis --port PORT}: an embedded Redis server that keeps nothing on disk,
 * until the process is stopped;</li>
 * <li>{@code demo-model FILE}: writes the demo fraud classifier as an ONNX file.</li>
 * </ul>
 */
public final class Launcher {

	private Launcher() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 0) {
			usage();
			return;
		}
		String[] rest = Arrays.copyOfRange(args, 1, args.length);
		switch (args[0]) {
			case "postgres" -> postgres(rest);
			case "redis" -> redis(rest);
			case "demo-model" -> demoModel(rest);
			default -> usage();
		}
	}

	private static void postgres(String[] args) throws Exception {
		Path dataDir = Path.of(option(args, "--data-dir", ".servinglayer/postgres"));
		int port = Integer.parseInt(option(args, "--port", "15432"));
		String database = option(args, "--database", "servinglayer");
		Files.createDirectories(dataDir);
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setDataDirectory(dataDir)
			.setCleanDataDirectory(false)
			.setPort(port)
			.start();
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				postgres.close();
			}
			catch (IOException ex) {
				System.err.println("Could not stop PostgreSQL cleanly: " + ex.getMessage());
			}
			stopped.countDown();
		}, "postgres-stop"));
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			try (ResultSet rows = statement
				.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "") + "'")) {
				if (!rows.next()) {
					statement.execute("CREATE DATABASE \"" + database.replace("\"", "") + "\"");
				}
			}
		}
		System.out.println("PostgreSQL ready on port " + port + ", database " + database + ", data in " + dataDir);
		stopped.await();
	}

	private static void redis(String[] args) throws Exception {
		int port = Integer.parseInt(option(args, "--port", "16379"));
		RedisServer server = RedisServer.newRedisServer()
			.port(port)
			.bind("127.0.0.1")
			.setting("save \"\"")
			.setting("appendonly no")
			.build();
		server.start();
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				server.stop();
			}
			catch (IOException ex) {
				System.err.println("Could not stop Redis cleanly: " + ex.getMessage());
			}
			stopped.countDown();
		}, "redis-stop"));
		System.out.println("Redis ready on port " + port);
		stopped.await();
	}

	private static void demoModel(String[] args) {
		if (args.length != 1) {
			usage();
			return;
		}
		Path file = SyntheticClassifier.fraud().writeOnnx(Path.of(args[0]));
		System.out.println("Wrote the demo fraud model to " + file + " (input columns "
				+ SyntheticClassifier.fraud().columns() + ")");
	}

	private static String option(String[] args, String name, String fallback) {
		for (int i = 0; i < args.length - 1; i++) {
			if (args[i].equals(name)) {
				return args[i + 1];
			}
		}
		return fallback;
	}

	private static void usage() {
		System.err.println("usage: launcher postgres [--data-dir DIR] [--port PORT] [--database NAME]");
		System.err.println("       launcher redis [--port PORT]");
		System.err.println("       launcher demo-model FILE");
		System.exit(2);
	}

}
