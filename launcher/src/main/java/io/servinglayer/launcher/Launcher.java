package io.servinglayer.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import io.servinglayer.samplemodels.IdentityModel;
import io.servinglayer.samplemodels.SyntheticClassifier;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

/**
 * The pieces {@code ./servinglayer up} runs besides the services themselves:
 * <ul>
 * <li>{@code postgres --data-dir DIR --port PORT --database NAME --password-file FILE}:
 * an embedded PostgreSQL server on 127.0.0.1 that keeps its data in {@code DIR} across
 * restarts, until the process is stopped. Its superuser {@code postgres} has the password
 * in {@code FILE}, and every connection must give it (SCRAM-SHA-256): a local user who
 * can reach the port cannot read the signing keys or client hashes;</li>
 * <li>{@code redis --port PORT --password-file FILE [--pid-file FILE]}: an embedded Redis
 * server on 127.0.0.1 that keeps nothing on disk and answers only clients that give the
 * password in {@code FILE}, until the process is stopped. The password is set over the
 * connection right after the server listens (a window of milliseconds on loopback, with
 * nothing stored yet), never on a command line or in a config file. The server's pid is
 * written to the pid file, so a supervisor can stop a server whose launcher was
 * killed;</li>
 * <li>{@code demo-model FILE [BASELINE_FILE]}: writes the demo fraud classifier as an
 * ONNX file and, when asked, its training baseline as the JSON of a version's
 * {@code baseline} metadata.</li>
 * <li>{@code faulty-model FILE}: writes a model with the demo's input that fails on any
 * value of 3 or more, for showing a rollout rolled back.</li>
 * </ul>
 */
public final class Launcher {

	private static final String PASSWORD_ONLY = """
			# Written by the Servinglayer launcher: password (SCRAM) logins over loopback only.
			local all all scram-sha-256
			host all all 127.0.0.1/32 scram-sha-256
			host all all ::1/128 scram-sha-256
			""";

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
			case "faulty-model" -> faultyModel(rest);
			default -> usage();
		}
	}

	private static void postgres(String[] args) throws Exception {
		Path dataDir = Path.of(option(args, "--data-dir", ".servinglayer/postgres"));
		int port = Integer.parseInt(option(args, "--port", "15432"));
		String database = option(args, "--database", "servinglayer");
		Path passwordFile = Path.of(required(args, "--password-file"));
		String password = password(passwordFile);
		Files.createDirectories(dataDir);
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setDataDirectory(dataDir)
			.setCleanDataDirectory(false)
			.setPort(port)
			.setServerConfig("listen_addresses", "127.0.0.1")
			.setServerConfig("password_encryption", "scram-sha-256")
			// A new cluster gets the password and password-only access from initdb, so it
			// never listens without them.
			.setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString())
			.setLocaleConfig("auth", "scram-sha-256")
			.setConnectConfig("password", password)
			.start();
		CountDownLatch stopped = new CountDownLatch(1);
		AtomicBoolean stopping = new AtomicBoolean();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			stopping.set(true);
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
			requirePassword(dataDir, statement, password);
			try (ResultSet rows = statement
				.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "") + "'")) {
				if (!rows.next()) {
					statement.execute("CREATE DATABASE \"" + database.replace("\"", "") + "\"");
				}
			}
		}
		long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
		exitWhenGone(postmaster, "PostgreSQL", stopping);
		System.out.println("PostgreSQL ready on 127.0.0.1:" + port + ", database " + database + ", data in " + dataDir
				+ ", password required");
		stopped.await();
	}

	/**
	 * A cluster made before passwords were required trusted every local connection: give
	 * the superuser the password and accept only password logins from now on. Done on
	 * every start, so the file's password is always the one in force.
	 */
	private static void requirePassword(Path dataDir, Statement statement, String password) throws Exception {
		statement.execute("SET password_encryption = 'scram-sha-256'");
		statement.execute("ALTER ROLE postgres PASSWORD '" + password.replace("'", "''") + "'");
		Path hba = dataDir.resolve("pg_hba.conf");
		if (!Files.readString(hba).equals(PASSWORD_ONLY)) {
			Files.writeString(hba, PASSWORD_ONLY);
			try (ResultSet reloaded = statement.executeQuery("SELECT pg_reload_conf()")) {
				reloaded.next();
			}
		}
	}

	private static void redis(String[] args) throws Exception {
		int port = Integer.parseInt(option(args, "--port", "16379"));
		String password = password(Path.of(required(args, "--password-file")));
		String pidFile = option(args, "--pid-file", null);
		RedisServer server = RedisServer.newRedisServer()
			.port(port)
			.bind("127.0.0.1")
			.setting("save \"\"")
			.setting("appendonly no")
			.build();
		server.start();
		CountDownLatch stopped = new CountDownLatch(1);
		AtomicBoolean stopping = new AtomicBoolean();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			stopping.set(true);
			try {
				server.stop();
			}
			catch (IOException ex) {
				System.err.println("Could not stop Redis cleanly: " + ex.getMessage());
			}
			stopped.countDown();
		}, "redis-stop"));
		long pid = ProcessHandle.current()
			.children()
			.findFirst()
			.map(ProcessHandle::pid)
			.orElseThrow(() -> new IllegalStateException("the Redis server process is not a child of this one"));
		if (pidFile != null) {
			Files.writeString(Path.of(pidFile), pid + "\n");
		}
		exitWhenGone(pid, "Redis", stopping);
		requirePassword(port, password);
		System.out.println("Redis ready on 127.0.0.1:" + port + ", password required");
		stopped.await();
	}

	/**
	 * Ends this launcher when its server dies on its own (killed, out of memory), so the
	 * supervisor, which watches the launcher, sees the service down and restarts it.
	 */
	private static void exitWhenGone(long pid, String server, AtomicBoolean stopping) {
		ProcessHandle.of(pid).ifPresent((process) -> process.onExit().thenRun(() -> {
			if (!stopping.get()) {
				System.err.println(server + " (pid " + pid + ") stopped on its own; the launcher ends with it");
				Runtime.getRuntime().halt(1);
			}
		}));
	}

	/** {@code CONFIG SET requirepass}, sent in RESP over the loopback connection. */
	private static void requirePassword(int port, String password) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(5000);
			StringBuilder command = new StringBuilder("*4\r\n");
			for (String part : new String[] { "CONFIG", "SET", "requirepass", password }) {
				byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
				command.append('$').append(bytes.length).append("\r\n").append(part).append("\r\n");
			}
			OutputStream out = socket.getOutputStream();
			out.write(command.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			byte[] reply = new byte[64];
			int read = socket.getInputStream().read(reply);
			String answer = (read > 0) ? new String(reply, 0, read, StandardCharsets.UTF_8).trim() : "";
			if (!answer.equals("+OK")) {
				throw new IllegalStateException("Redis refused its password: " + answer);
			}
		}
	}

	private static String password(Path file) throws IOException {
		String password = Files.readString(file).trim();
		if (password.length() < 16 || !password.chars().allMatch((c) -> c > ' ' && c < 127 && c != '\'')) {
			throw new IllegalArgumentException(
					file + " must hold a password of at least 16 printable characters, without quotes or spaces");
		}
		return password;
	}

	private static void demoModel(String[] args) {
		if (args.length != 1 && args.length != 2) {
			usage();
			return;
		}
		Path file = SyntheticClassifier.fraud().writeOnnx(Path.of(args[0]));
		System.out.println("Wrote the demo fraud model to " + file + " (input columns "
				+ SyntheticClassifier.fraud().columns() + ")");
		if (args.length == 2) {
			// By feature name: the demo version is bound to the fraud_features view.
			Path baseline = Path.of(args[1]);
			try {
				Files.writeString(baseline,
						SyntheticClassifier.baselineJson(SyntheticClassifier.fraud().trainingBaseline(10)));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("could not write the baseline to " + baseline, ex);
			}
			System.out.println("Wrote its training baseline (10 bins per feature) to " + baseline);
		}
	}

	private static void faultyModel(String[] args) {
		if (args.length != 1) {
			usage();
			return;
		}
		Path file = IdentityModel.writeFailingOnLargeValues(Path.of(args[0]));
		System.out.println("Wrote a model that fails on inputs of 3 or more to " + file);
	}

	private static String option(String[] args, String name, String fallback) {
		for (int i = 0; i < args.length - 1; i++) {
			if (args[i].equals(name)) {
				return args[i + 1];
			}
		}
		return fallback;
	}

	private static String required(String[] args, String name) {
		String value = option(args, name, null);
		if (value == null) {
			usage();
		}
		return value;
	}

	private static void usage() {
		System.err
			.println("usage: launcher postgres --password-file FILE [--data-dir DIR] [--port PORT] [--database NAME]");
		System.err.println("       launcher redis --password-file FILE [--port PORT] [--pid-file FILE]");
		System.err.println("       launcher demo-model FILE [BASELINE_FILE]");
		System.err.println("       launcher faulty-model FILE");
		System.exit(2);
	}

}
