package io.servinglayer.gateway.shadow;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Semaphore;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.gateway.balancing.Instance;
import io.servinglayer.gateway.balancing.InstanceCredential;
import io.servinglayer.gateway.balancing.InstanceDirectory;
import io.servinglayer.gateway.routing.Deployment;
import io.servinglayer.gateway.routing.Endpoint;
import io.servinglayer.gateway.routing.ModelRequest;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;

/**
 * Copies {@code shadowPercent} of a deployment's inference requests to its shadow
 * version. The copy is sent only after the client's answer has been written, on a client
 * of its own with the deployment's timeout and a bound on copies in flight, so it can
 * never change the answer or its latency. Outcomes are counted in
 * {@code gateway.shadow.requests} and agreement with the primary answer in
 * {@code gateway.shadow.agreement}.
 */
class ShadowCopies implements GlobalFilter, Ordered {

	private final InstanceDirectory directory;

	private final WebClient client;

	private final ShadowSettings settings;

	private final MeterRegistry meters;

	private final RandomGenerator random;

	private final Semaphore inFlight;

	private final JsonMapper json = JsonMapper.builder().build();

	private static final String BINARY_HEADER = "Inference-Header-Content-Length";

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

	@Override
	public int getOrder() {
		// After routing has chosen the primary version (-40), outside the retries.
		return -30;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		ModelRequest request = exchange.getAttribute(ModelRequest.ATTRIBUTE);
		if (request == null || request.endpoint() != Endpoint.INFER) {
			return chain.filter(exchange);
		}
		Deployment deployment = request.deployment();
		if (deployment.shadow() == null || deployment.shadowPercent() <= 0
				|| this.random.nextInt(100) >= deployment.shadowPercent()) {
			return chain.filter(exchange);
		}
		DataBuffer cached = exchange.getAttribute(ServerWebExchangeUtils.CACHED_REQUEST_BODY_ATTR);
		byte[] body = (cached != null) ? copy(cached) : null;
		if (body == null) {
			return chain.filter(exchange);
		}
		ByteArrayOutputStream primary = new ByteArrayOutputStream();
		AtomicBoolean tooLarge = new AtomicBoolean();
		long limit = this.settings.maxCompared().toBytes();
		HttpHeaders identity = new HttpHeaders();
		// A body in the protocol's binary extension only reads with its JSON part's
		// length.
		for (String name : List.of("X-Request-Id", "traceparent", BINARY_HEADER)) {
			String value = exchange.getRequest().getHeaders().getFirst(name);
			if (value != null) {
				identity.set(name, value);
			}
		}
		ServerHttpResponseDecorator teed = new ServerHttpResponseDecorator(exchange.getResponse()) {
			@Override
			public Mono<Void> writeWith(Publisher<? extends DataBuffer> content) {
				return super.writeWith(Flux.from(content).doOnNext((buffer) -> {
					if (primary.size() + buffer.readableByteCount() <= limit) {
						byte[] bytes = copy(buffer);
						primary.write(bytes, 0, bytes.length);
					}
					else {
						tooLarge.set(true);
					}
				}));
			}
		};
		MediaType contentType = exchange.getRequest().getHeaders().getContentType();
		return chain.filter(exchange.mutate().response(teed).build()).doOnSuccess((done) -> {
			HttpStatusCode status = exchange.getResponse().getStatusCode();
			// Answers with binary outputs are not JSON: their agreement is not measured.
			boolean comparable = status != null && status.value() == 200
					&& !exchange.getResponse().getHeaders().containsHeader(BINARY_HEADER);
			send(deployment, body, identity, (contentType != null) ? contentType : MediaType.APPLICATION_JSON,
					comparable ? primary.toByteArray() : null, tooLarge.get());
		});
	}

	private void send(Deployment deployment, byte[] body, HttpHeaders identity, MediaType contentType,
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

	private static byte[] copy(DataBuffer buffer) {
		// Copied without moving the buffer's read position: the primary still reads it.
		int length = buffer.readableByteCount();
		ByteBuffer target = ByteBuffer.allocate(length);
		buffer.toByteBuffer(buffer.readPosition(), target, 0, length);
		return target.array();
	}

	private record ShadowAnswer(int status, byte[] body) {
	}

}
