package io.servinglayer.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real inference instance, run from the inference service's runnable jar as a process
 * of its own (the path comes from the system property
 * {@code servinglayer.inference-service.jar}, which the build sets). It follows the given
 * control plane and announces itself in Redis under the given prefix, as in production.
 */
final class InferenceInstanceProcess implements AutoCloseable {

	private final Process process;

	private final URI url;

	private final Path log;

	private InferenceInstanceProcess(Process process, URI url, Path log) {
		this.process = process;
		this.url = url;
		this.log = log;
	}

	static InferenceInstanceProcess start(URI controlPlane, String clientId, String secret, String redisUri,
			String keyPrefix, String instanceId) {
		String jar = System.getProperty("servinglayer.inference-service.jar");
		if (jar == null || !Files.exists(Path.of(jar))) {
			throw new IllegalStateException(
					"servinglayer.inference-service.jar must name the inference service's runnable jar, got " + jar);
		}
		int port = freePort();
		URI url = URI.create("http://127.0.0.1:" + port);
		try {
			Path state = Files.createTempDirectory("inference-" + instanceId);
			Path log = Files.createTempFile("inference-" + instanceId + "-", ".log");
			ProcessBuilder builder = new ProcessBuilder(
					List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-Xss2m",
							"-jar", jar))
				.redirectErrorStream(true)
				.redirectOutput(log.toFile());
			builder.environment()
				.putAll(Map.of("SERVER_PORT", Integer.toString(port), "SERVINGLAYER_INFERENCE_CONTROLPLANE",
						controlPlane.toString(), "SERVINGLAYER_INFERENCE_CLIENTID", clientId,
						"SERVINGLAYER_INFERENCE_CLIENTSECRET", secret, "SERVINGLAYER_INFERENCE_STATEDIRECTORY",
						state.toString(), "SERVINGLAYER_INFERENCE_REDISURI", redisUri,
						"SERVINGLAYER_INFERENCE_ROUTINGCHANNEL", keyPrefix + "routing",
						"SERVINGLAYER_INFERENCE_ANNOUNCEMENT_KEYPREFIX", keyPrefix,
						"SERVINGLAYER_INFERENCE_ANNOUNCEMENT_INSTANCEID", instanceId,
						"SERVINGLAYER_INFERENCE_ANNOUNCEMENT_HEARTBEAT", "1s"));
			builder.environment().put("SERVINGLAYER_INFERENCE_ANNOUNCEMENT_TTL", "3s");
			InferenceInstanceProcess started = new InferenceInstanceProcess(builder.start(), url, log);
			Runtime.getRuntime().addShutdownHook(new Thread(started::close, "inference-process-stop"));
			started.awaitLive(Duration.ofSeconds(90));
			return started;
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not start an inference instance", ex);
		}
	}

	URI url() {
		return this.url;
	}

	private void awaitLive(Duration limit) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		long deadline = System.nanoTime() + limit.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("the inference instance exited: " + tail());
			}
			try {
				HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(this.url.resolve("/v2/health/live"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.discarding());
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
		throw new IllegalStateException("the inference instance was not live within " + limit + ": " + tail());
	}

	String tail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log)";
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

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
