package io.servinglayer.gateway;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.servinglayer.gateway.balancing.InstanceDirectory;
import io.servinglayer.gateway.routing.Routing;
import io.servinglayer.gateway.tls.TrustingClients;
import io.servinglayer.samplemodels.SyntheticClassifier;
import io.servinglayer.testsupport.ControlPlaneProcess;
import io.servinglayer.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One request through the gateway makes one trace: the gateway's span and the instance's
 * (with its batch and model spans beneath) exported by OTLP to an endpoint of the test's
 * own, from a real control plane, a real inference instance (its jar, as a process) and
 * the gateway over HTTPS with a real token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		"management.tracing.sampling.probability=1.0", "management.opentelemetry.tracing.export.schedule-delay=100ms" })
class TracingIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String GATEWAY_SECRET = "gateway-secret-0123456789";

	private static final String INFER_BODY = """
			{"inputs": [{"name": "input", "shape": [1, 3], "datatype": "FP32", "data": [0.5, 1.0, -0.3]}]}""";

	private static final Queue<Span> exported = new ConcurrentLinkedQueue<>();

	private static HttpServer collector;

	private static ControlPlaneProcess controlPlane;

	private static InferenceInstanceProcess instance;

	private static Path state;

	private static String callerSecret;

	@LocalServerPort
	int port;

	@Autowired
	Routing routing;

	@Autowired
	InstanceDirectory directory;

	private HttpClient https;

	@DynamicPropertySource
	static void traceToTheTestsCollector(DynamicPropertyRegistry registry) throws Exception {
		collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		collector.createContext("/v1/traces", (exchange) -> {
			ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody());
			for (ResourceSpans resource : request.getResourceSpansList()) {
				String service = attribute(resource.getResource().getAttributesList(), "service.name");
				for (ScopeSpans scope : resource.getScopeSpansList()) {
					scope.getSpansList().forEach((span) -> exported.add(Span.of(service, span)));
				}
			}
			exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		collector.start();
		String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces";

		state = Files.createTempDirectory("gateway-state");
		Path models = Files.createTempDirectory("gateway-models");
		controlPlane = ControlPlaneProcess.start("gateway", GATEWAY_SECRET, "routing:read,inference:call");
		String instanceSecret = createClient("inference-a", "[\"routing:read\"]");
		callerSecret = createClient("caller", "[\"predict\"]");
		controlPlane.sendJson("POST", "/api/v1/models", "{\"name\":\"fraud\"}");
		assertThat(controlPlane
			.upload("fraud", Files.readAllBytes(SyntheticClassifier.fraud().writeOnnx(models.resolve("v1.onnx"))))
			.statusCode()).isEqualTo(201);
		assertThat(controlPlane
			.sendJson("PUT", "/api/v1/deployments/fraud", "{\"model\": \"fraud\", \"stableVersion\": 1}")
			.statusCode()).isEqualTo(201);
		TestRedis redis = TestRedis.get();
		String redisUri = "redis://" + redis.host() + ":" + redis.port();
		instance = InferenceInstanceProcess.start(controlPlane.url(), "inference-a", instanceSecret, redisUri,
				controlPlane.redisPrefix(), "instance-a",
				Map.of("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", endpoint,
						"MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "1.0",
						"MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULEDELAY", "100ms"));
		GatewaySettings.follow(registry, controlPlane, GATEWAY_SECRET, state, redisUri);
		registry.add("management.opentelemetry.tracing.export.otlp.endpoint", () -> endpoint);
	}

	private static String createClient(String clientId, String scopes) {
		HttpResponse<String> created = controlPlane.sendJson("POST", "/api/v1/clients",
				"{\"clientId\": \"" + clientId + "\", \"tenant\": \"acme\", \"scopes\": " + scopes + "}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return json.readTree(created.body()).path("clientSecret").asString();
	}

	@AfterAll
	static void stop() {
		if (instance != null) {
			instance.close();
		}
		if (controlPlane != null) {
			controlPlane.close();
		}
		if (collector != null) {
			collector.stop(0);
		}
	}

	@BeforeEach
	void awaitWarmInstance() throws Exception {
		this.https = TrustingClients.trusting(state, HttpClient.Version.HTTP_2);
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.routing.table().deployment("fraud") != null && this.directory.isWarm("fraud", 1));
	}

	@Test
	void aModelCallMakesOneTraceFromTheGatewayThroughTheInstanceToTheModelRun() throws Exception {
		String token = controlPlane.token("caller", callerSecret);
		HttpResponse<String> answer = send(post("/v2/models/fraud/infer", token).header("X-Request-Id", "traced-1"));
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

		Span gateway = await().atMost(Duration.ofSeconds(20))
			.until(() -> exported.stream()
				.filter((span) -> "traced-1".equals(span.attributes().get("servinglayer.request_id")))
				.findFirst()
				.orElse(null), (found) -> found != null);
		assertThat(gateway.service()).isEqualTo("gateway");
		assertThat(gateway.name()).isEqualTo("POST /v2/models/{model}/infer");
		assertThat(gateway.parentSpanId()).isEmpty();
		assertThat(gateway.attributes()).containsEntry("servinglayer.deployment", "fraud")
			.containsEntry("servinglayer.model_version", "1")
			.containsEntry("http.response.status_code", "200");

		Span server = awaitChild(gateway, "inference-service", "POST /v2/models/{model}/versions/{version}/infer");
		Span run = awaitChild(server, "inference-service", "model execution");
		assertThat(run.attributes()).containsEntry("servinglayer.deployment", "fraud")
			.containsEntry("servinglayer.batch_rows", "1");
	}

	@Test
	void aCallersTraceContinuesThroughTheGatewayOnTheModelPathAndTheGenericChain() throws Exception {
		String token = controlPlane.token("caller", callerSecret);
		String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		String callerSpan = "00f067aa0ba902b7";

		HttpResponse<String> answer = send(post("/v2/models/fraud/infer", token).header("X-Request-Id", "traced-2")
			.header("traceparent", "00-" + traceId + "-" + callerSpan + "-01"));
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		Span gateway = await().atMost(Duration.ofSeconds(20))
			.until(() -> exported.stream()
				.filter((span) -> "traced-2".equals(span.attributes().get("servinglayer.request_id")))
				.findFirst()
				.orElse(null), (found) -> found != null);
		assertThat(gateway.traceId()).isEqualTo(traceId);
		assertThat(gateway.parentSpanId()).isEqualTo(callerSpan);
		awaitChild(gateway, "inference-service", "POST /v2/models/{model}/versions/{version}/infer");

		String metadataTrace = "5cf92f3577b34da6a3ce929d0e0e4737";
		HttpResponse<String> metadata = send(HttpRequest.newBuilder(uri("/v2/models/fraud"))
			.header("Authorization", "Bearer " + token)
			.header("traceparent", "00-" + metadataTrace + "-" + callerSpan + "-01")
			.GET());
		assertThat(metadata.statusCode()).as(metadata.body()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> exported.stream()
				.anyMatch((span) -> span.traceId().equals(metadataTrace) && span.service().equals("gateway"))
					&& exported.stream()
						.anyMatch((span) -> span.traceId().equals(metadataTrace)
								&& span.service().equals("inference-service")));
	}

	private static Span awaitChild(Span parent, String service, String name) {
		return await().atMost(Duration.ofSeconds(20))
			.until(() -> exported.stream()
				.filter((span) -> span.traceId().equals(parent.traceId()) && span.parentSpanId().equals(parent.spanId())
						&& span.service().equals(service) && span.name().equals(name))
				.findFirst()
				.orElse(null), (found) -> found != null);
	}

	private static String attribute(List<KeyValue> attributes, String key) {
		return attributes.stream()
			.filter((attribute) -> attribute.getKey().equals(key))
			.map(TracingIntegrationTests::value)
			.findFirst()
			.orElse(null);
	}

	private static String value(KeyValue attribute) {
		return attribute.getValue().hasIntValue() ? Long.toString(attribute.getValue().getIntValue())
				: attribute.getValue().getStringValue();
	}

	private HttpRequest.Builder post(String path, String token) {
		return HttpRequest.newBuilder(uri(path))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(INFER_BODY));
	}

	private URI uri(String path) {
		return URI.create("https://localhost:" + this.port + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.https.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
	}

	/** An exported span, with ids in hex and attribute values as strings. */
	record Span(String service, String traceId, String spanId, String parentSpanId, String name,
			Map<String, String> attributes) {

		static Span of(String service, io.opentelemetry.proto.trace.v1.Span span) {
			HexFormat hex = HexFormat.of();
			Map<String, String> attributes = new java.util.HashMap<>();
			span.getAttributesList().forEach((attribute) -> attributes.put(attribute.getKey(), value(attribute)));
			return new Span(service, hex.formatHex(span.getTraceId().toByteArray()),
					hex.formatHex(span.getSpanId().toByteArray()), hex.formatHex(span.getParentSpanId().toByteArray()),
					span.getName(), attributes);
		}

	}

}
