package io.servinglayer.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of our services run from its runnable jar as a process of its own, with its output
 * in a log file: how tests run the control plane, inference instances and gateways as a
 * deployment would. Stopped on {@link #close()}, and when the test JVM exits.
 */
public final class ServiceProcess implements AutoCloseable {

	private final String name;

	private final Process process;

	private final Path log;

	private ServiceProcess(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts {@code java [jvmOptions] -jar jar} with {@code environment} added to this
	 * JVM's.
	 * @param name what the service is, for messages and the log file's name
	 * @param jarProperty the system property that names the jar, which the build sets
	 */
	public static ServiceProcess start(String name, String jarProperty, List<String> jvmOptions,
			Map<String, String> environment) {
		String jar = System.getProperty(jarProperty);
		if (jar == null || !Files.exists(Path.of(jar))) {
			throw new IllegalStateException(jarProperty + " must name the " + name + "'s runnable jar, got " + jar);
		}
		try {
			Path log = Files.createTempFile(name.replace(' ', '-') + "-", ".log");
			List<String> command = new ArrayList<>();
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.addAll(jvmOptions);
			command.addAll(List.of("-jar", jar));
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
			builder.environment().putAll(environment);
			ServiceProcess started = new ServiceProcess(name, builder.start(), log);
			Runtime.getRuntime().addShutdownHook(new Thread(started::close, name.replace(' ', '-') + "-stop"));
			watch(started.process);
			return started;
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not start the " + name, ex);
		}
	}

	/**
	 * Stops the service when this JVM dies without running its shutdown hooks (killed, or
	 * crashed): a small shell watches both and ends when either does, so a service never
	 * outlives the test run that started it, holding its ports and database connections.
	 */
	private static void watch(Process service) throws IOException {
		if (!Files.isExecutable(Path.of("/bin/sh"))) {
			return;
		}
		long self = ProcessHandle.current().pid();
		long child = service.pid();
		new ProcessBuilder("/bin/sh", "-c",
				"while kill -0 " + self + " 2>/dev/null && kill -0 " + child + " 2>/dev/null; do sleep 1; done; kill "
						+ child + " 2>/dev/null")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
	}

	/** Waits until {@code url} answers 200; fails at once if the process exits. */
	public void awaitOk(URI url, Duration limit) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		long deadline = System.nanoTime() + limit.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("the " + this.name + " exited: " + tail());
			}
			try {
				HttpResponse<Void> answer = http.send(
						HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.discarding());
				if (answer.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			try {
				Thread.sleep(250);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		throw new IllegalStateException(
				"the " + this.name + " did not answer " + url + " within " + limit + ": " + tail());
	}

	/** The last 40 lines of the service's output. */
	public String tail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log)";
		}
	}

	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Kills the process at once (SIGKILL) and waits for it to be gone. */
	public void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(20, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.process.destroyForcibly();
			}
		}
	}

}
