package io.servinglayer.gateway.shadow;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Semaphore;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.contracts.ServedPrediction;
import io.servinglayer.gateway.balancing.Instance;
import io.servinglayer.gateway.balancing.InstanceCredential;
import io.servinglayer.gateway.balancing.InstanceDirectory;
import io.servinglayer.gateway.routing.Deployment;
import io.servinglayer.gateway.routing.Endpoint;
import io.servinglayer.gateway.routing.ModelRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Copies {@code shadowPercent} of a deployment's inference requests to its shadow
 * version. The copy is sent only after the client's answer has been written, on a client
 * of its own with the deployment's timeout and a bound on copies in flight, so it can
 * never change the answer or its latency. Outcomes are counted in
 * {@code gateway.shadow.requests} and agreement with the primary answer in
 * {@code gateway.shadow.agreement}.
 */
public class ShadowCopies {

	private final InstanceDirectory directory;

	private final WebClient client;

	private final ShadowSettings settings;

	private final MeterRegistry meters;

	private final RandomGenerator random;

	private final Semaphore inFlight;

	private final JsonMapper json = JsonMapper.builder().build();

	public static final String BINARY_HEADER = "Inference-Header-Content-Length";

	private final InstanceCredential credential;

	ShadowCopies(InstanceDirectory directory, InstanceCredential credential, WebClient client, ShadowSettings settings,
			MeterRegistry meters, RandomGenerator random) {
		this.directory = directory;
		this.credential = credential;
		this.client = client;
		this.settings = settings;
		this.meters = meters;
		this.random = random;
		this.inFlight = new Semaphore(settings.maxInFlight());
	}

	/** Whether this request is copied: an {@code infer} call drawn into the percent. */
	public boolean wanted(ModelRequest request) {
		Deployment deployment = request.deployment();
		return request.endpoint() == Endpoint.INFER && deployment.shadow() != null && deployment.shadowPercent() > 0
				&& this.random.nextInt(100) < deployment.shadowPercent();
	}

	/** How much of the primary answer is kept to compare with the shadow's. */
	public long maxCompared() {
		return this.settings.maxCompared().toBytes();
	}

	/** The request headers a copy carries, besides its content type. */
	public static List<String> identityHeaders() {
		// A body in the protocol's binary extension only reads with its JSON part's
		// length.
		return List.of("X-Request-Id", "traceparent", BINARY_HEADER);
	}

	/**
	 * Sends the copy, after the primary answer has been written.
	 * @param primaryAnswer the primary's answer to compare with, {@code null} when it is
	 * not comparable (not a 200, or binary outputs)
	 * @param primaryTooLarge whether only part of the primary's answer was kept
	 */
	public void send(Deployment deployment, byte[] body, HttpHeaders identity, MediaType contentType,
			byte[] primaryAnswer, boolean primaryTooLarge) {
		int version = deployment.shadow();
		List<Instance> candidates = this.directory.ready(deployment.name(), version);
		if (candidates.isEmpty()) {
			count(deployment, version, "no_instance");
			return;
		}
		if (!this.inFlight.tryAcquire()) {
			count(deployment, version, "dropped");
			return;
		}
		Instance instance = candidates.get(this.random.nextInt(candidates.size()));
		this.client.post()
			.uri(instance.baseUrl() + Endpoint.INFER.instancePath(deployment.name(), version))
			.contentType(contentType)
			.headers((headers) -> {
				headers.addAll(identity);
				// It carries the primary's request id, but the client was not served its
				// answer: the instance keeps no served prediction for it.
				headers.set(ServedPrediction.SHADOW_HEADER, "1");
				String authorization = this.credential.authorization();
				if (authorization != null) {
					headers.set(HttpHeaders.AUTHORIZATION, authorization);
				}
			})
			.bodyValue(body)
			.exchangeToMono((answer) -> answer.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.map((bytes) -> new ShadowAnswer(answer.statusCode().value(), bytes)))
			.timeout(Duration.ofMillis(deployment.timeoutMs()))
			.doFinally((signal) -> this.inFlight.release())
			.subscribe((answer) -> {
				String outcome = (answer.status() >= 500) ? "server_error"
						: (answer.status() >= 400) ? "client_error" : "success";
				count(deployment, version, outcome);
				if (primaryAnswer != null && answer.status() == 200) {
					if (primaryTooLarge) {
						// Only part of the primary's answer was kept: not comparable.
						agreement(deployment, version, "too_large");
					}
					else {
						compare(deployment, version, primaryAnswer, answer.body());
					}
				}
			}, (failure) -> count(deployment, version,
					(failure instanceof TimeoutException) ? "timeout" : "server_error"));
	}

	private void compare(Deployment deployment, int version, byte[] primaryAnswer, byte[] shadowAnswer) {
		String result;
		try {
			result = Agreement.agree(this.json.readTree(primaryAnswer), this.json.readTree(shadowAnswer)) ? "agree"
					: "disagree";
		}
		catch (RuntimeException ex) {
			result = "disagree";
		}
		agreement(deployment, version, result);
	}

	private void agreement(Deployment deployment, int version, String result) {
		Counter.builder("gateway.shadow.agreement")
			.description("Shadow answers compared with the primary's: the same top class per row, or equal values")
			.tag("model", deployment.name())
			.tag("version", Integer.toString(version))
			.tag("result", result)
			.register(this.meters)
			.increment();
	}

	private void count(Deployment deployment, int version, String outcome) {
		Counter.builder("gateway.shadow.requests")
			.description("Shadow copies by outcome; dropped and no_instance were never sent")
			.tag("model", deployment.name())
			.tag("version", Integer.toString(version))
			.tag("outcome", outcome)
			.register(this.meters)
			.increment();
	}

	private record ShadowAnswer(int status, byte[] body) {
	}

}
