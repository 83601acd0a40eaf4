package io.servinglayer.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.servinglayer.testsupport.ServiceProcess;

/**
 * A real inference instance, run from the inference service's runnable jar as a process
 * of its own (the path comes from the system property
 * {@code servinglayer.inference-service.jar}, which the build sets). It follows the given
 * control plane and announces itself in Redis under the given prefix, as in production,
 * with a short heartbeat so a killed instance drops out quickly.
 */
final class InferenceInstanceProcess implements AutoCloseable {

	private final ServiceProcess process;

	private final URI url;

	private InferenceInstanceProcess(ServiceProcess process, URI url) {
		this.process = process;
		this.url = url;
	}

	static InferenceInstanceProcess start(URI controlPlane, String clientId, String secret, String redisUri,
			String keyPrefix, String instanceId) {
		return start(controlPlane, clientId, secret, redisUri, keyPrefix, instanceId, Map.of());
	}

	/** As above, with more of the instance's settings as environment variables. */
	static InferenceInstanceProcess start(URI controlPlane, String clientId, String secret, String redisUri,
			String keyPrefix, String instanceId, Map<String, String> more) {
		int port = ServiceProcess.freePort();
		URI url = URI.create("http://127.0.0.1:" + port);
		String state;
		try {
			state = Files.createTempDirectory("inference-" + instanceId).toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ServiceProcess process = ServiceProcess.start("inference instance " + instanceId,
				"servinglayer.inference-service.jar", List.of("-Xmx384m", "-Xss2m"),
				environment(more, Map.entry("SERVER_PORT", Integer.toString(port)),
						Map.entry("SERVINGLAYER_INFERENCE_CONTROLPLANE", controlPlane.toString()),
						Map.entry("SERVINGLAYER_INFERENCE_CLIENTID", clientId),
						Map.entry("SERVINGLAYER_INFERENCE_CLIENTSECRET", secret),
						Map.entry("SERVINGLAYER_INFERENCE_STATEDIRECTORY", state),
						Map.entry("SERVINGLAYER_INFERENCE_REDISURI", redisUri),
						Map.entry("SERVINGLAYER_INFERENCE_ROUTINGCHANNEL", keyPrefix + "routing"),
						Map.entry("SERVINGLAYER_INFERENCE_ANNOUNCEMENT_KEYPREFIX", keyPrefix),
						Map.entry("SERVINGLAYER_INFERENCE_SERVEDPREDICTIONS_KEYPREFIX", keyPrefix),
						Map.entry("SERVINGLAYER_INFERENCE_ANNOUNCEMENT_INSTANCEID", instanceId),
						Map.entry("SERVINGLAYER_INFERENCE_ANNOUNCEMENT_HEARTBEAT", "1s"),
						Map.entry("SERVINGLAYER_INFERENCE_ANNOUNCEMENT_TTL", "3s"),
						// As in production: model calls need the gateway's inference:call
						// token.
						Map.entry("SERVINGLAYER_INFERENCE_CALLERS_REQUIRETOKEN", "true")));
		InferenceInstanceProcess started = new InferenceInstanceProcess(process, url);
		process.awaitOk(url.resolve("/v2/health/live"), Duration.ofSeconds(90));
		return started;
	}

	@SafeVarargs
	private static Map<String, String> environment(Map<String, String> more, Map.Entry<String, String>... entries) {
		Map<String, String> all = new java.util.HashMap<>(Map.ofEntries(entries));
		all.putAll(more);
		return all;
	}

	URI url() {
		return this.url;
	}

	String tail() {
		return this.process.tail();
	}

	@Override
	public void close() {
		this.process.close();
	}

}
