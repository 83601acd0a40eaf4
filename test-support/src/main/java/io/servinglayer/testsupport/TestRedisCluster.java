package io.servinglayer.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A three-master Redis Cluster of this test JVM, started once from the local
 * {@code redis-server} (Debian's package, 7.0 on these machines) on free ports in a
 * temporary folder, with a password, and stopped when the JVM exits. Tests that need it
 * are skipped (an assumption, with the reason) where {@code redis-server} is not
 * installed; {@code .ci/run} installs it.
 */
public final class TestRedisCluster {

	/** The password of every node (also the nodes' {@code masterauth}). */
	public static final String PASSWORD = "cluster-test-secret";

	private static final Path SERVER = Path.of("/usr/bin/redis-server");

	private static final Path CLI = Path.of("/usr/bin/redis-cli");

	private static final int NODES = 3;

	private static final Logger logger = LoggerFactory.getLogger(TestRedisCluster.class);

	private static TestRedisCluster instance;

	private final Path folder;

	private final List<Integer> ports;

	private final List<Process> processes;

	private TestRedisCluster(Path folder, List<Integer> ports, List<Process> processes) {
		this.folder = folder;
		this.ports = ports;
		this.processes = processes;
	}

	/**
	 * The cluster of this JVM, started on first use.
	 * @throws org.opentest4j.TestAbortedException when {@code redis-server} is not
	 * installed
	 */
	public static synchronized TestRedisCluster get() {
		Assumptions.assumeTrue(Files.isExecutable(SERVER) && Files.isExecutable(CLI),
				"Redis Cluster tests need /usr/bin/redis-server and /usr/bin/redis-cli "
						+ "(Debian package redis-server, installed by .ci/run); skipped");
		if (instance == null) {
			instance = start();
			Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "test-redis-cluster-stop"));
		}
		return instance;
	}

	/** The nodes' ports. */
	public List<Integer> ports() {
		return this.ports;
	}

	/**
	 * The nodes as {@code host:port}, as {@code spring.data.redis.cluster.nodes} takes
	 * them.
	 */
	public List<String> nodes() {
		return this.ports.stream().map((port) -> "127.0.0.1:" + port).toList();
	}

	/**
	 * Every node as a seed, in the form the services' Redis URI settings take for a
	 * cluster: {@code redis://:password@127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}.
	 */
	public String uri() {
		return "redis://:" + PASSWORD + "@" + String.join(",", nodes());
	}

	/** A key prefix no other test uses, ending in {@code :}. */
	public String newKeyPrefix() {
		return "sl-cluster-test:" + UUID.randomUUID().toString().substring(0, 13) + ":";
	}

	private static TestRedisCluster start() {
		Path folder;
		try {
			folder = Files.createTempDirectory("servinglayer-redis-cluster");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<Integer> ports = freePorts();
		List<Process> processes = new ArrayList<>();
		TestRedisCluster cluster = new TestRedisCluster(folder, ports, processes);
		try {
			for (int port : ports) {
				processes.add(node(folder, port));
			}
			for (int port : ports) {
				awaitAnswer(port, List.of("PING"), "PONG", "node " + port + " to answer PING");
			}
			List<String> create = new ArrayList<>(List.of(CLI.toString(), "--cluster", "create"));
			ports.forEach((port) -> create.add("127.0.0.1:" + port));
			create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
			CliResult created = cli(create);
			if (created.exitCode() != 0) {
				throw new IllegalStateException("redis-cli --cluster create failed: " + created.output());
			}
			for (int port : ports) {
				awaitAnswer(port, List.of("CLUSTER", "INFO"), "cluster_state:ok",
						"node " + port + " to see the " + "cluster as ok");
			}
			logger.info("Redis Cluster of {} masters on ports {} (in {})", NODES, ports, folder);
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.stop();
			throw ex;
		}
	}

	private static Process node(Path folder, int port) {
		Path directory = folder.resolve(Integer.toString(port));
		try {
			Files.createDirectories(directory);
			Path configuration = directory.resolve("redis.conf");
			Files.writeString(configuration, """
					port %d
					bind 127.0.0.1
					dir %s
					cluster-enabled yes
					cluster-config-file nodes.conf
					cluster-node-timeout 5000
					requirepass %s
					masterauth %s
					save ""
					appendonly no
					daemonize no
					""".formatted(port, directory, PASSWORD, PASSWORD), StandardCharsets.UTF_8);
			return new ProcessBuilder(SERVER.toString(), configuration.toString()).directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(directory.resolve("redis.log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Ports whose cluster bus port (the port plus 10000) is free too, which a port the
	 * system hands out may not have.
	 */
	private static List<Integer> freePorts() {
		List<Integer> ports = new ArrayList<>();
		while (ports.size() < NODES) {
			int port = ThreadLocalRandom.current().nextInt(20_000, 40_000);
			if (!ports.contains(port) && free(port) && free(port + 10_000)) {
				ports.add(port);
			}
		}
		return ports;
	}

	private static boolean free(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void awaitAnswer(int port, List<String> command, String expected, String what) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		List<String> line = new ArrayList<>(List.of(CLI.toString(), "-p", Integer.toString(port)));
		line.addAll(command);
		String last = "";
		while (System.nanoTime() < deadline) {
			last = cli(line).output();
			if (last.contains(expected)) {
				return;
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted waiting for " + what, ex);
			}
		}
		throw new IllegalStateException("waited 20 s for " + what + "; last answer: " + last);
	}

	private static CliResult cli(List<String> command) {
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
			// The password by environment, so redis-cli does not warn about it on the
			// command line.
			builder.environment().put("REDISCLI_AUTH", PASSWORD);
			Process process = builder.start();
			process.getOutputStream().close();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " did not finish in 60 s");
			}
			return new CliResult(process.exitValue(),
					new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted running " + command, ex);
		}
	}

	/** Stops every node and deletes their folder. */
	synchronized void stop() {
		for (Process process : this.processes) {
			process.destroy();
		}
		for (Process process : this.processes) {
			try {
				if (!process.waitFor(5, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.processes.clear();
		try (Stream<Path> files = Files.walk(this.folder)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			logger.warn("Could not delete {}: {}", this.folder, ex.getMessage());
		}
	}

	private record CliResult(int exitCode, String output) {
	}

}
