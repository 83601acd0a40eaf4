package io.servinglayer.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.contracts.ServedPrediction;
import io.servinglayer.gateway.balancing.InstanceDirectory;
import io.servinglayer.gateway.routing.Routing;
import io.servinglayer.gateway.tls.TrustingClients;
import io.servinglayer.samplemodels.SyntheticClassifier;
import io.servinglayer.testsupport.ControlPlaneProcess;
import io.servinglayer.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Feedback end to end: predictions served by a real inference instance (a real ONNX
 * model) through the gateway, kept in a real Redis, then labels sent to the gateway's
 * feedback endpoint with real tokens of the control plane.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "servinglayer.gateway.feedback.min-labels=4" })
class FeedbackIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String GATEWAY_SECRET = "gateway-secret-0123456789";

	private static ControlPlaneProcess controlPlane;

	private static InferenceInstanceProcess instance;

	private static Path state;

	private static String callerSecret;

	private static String labellerSecret;

	private static RedisClient redisClient;

	private static StatefulRedisConnection<String, String> redis;

	@LocalServerPort
	int port;

	@Autowired
	Routing routing;

	@Autowired
	InstanceDirectory directory;

	@Autowired
	MeterRegistry meters;

	private HttpClient https;

	@DynamicPropertySource
	static void followTheControlPlane(DynamicPropertyRegistry registry) throws Exception {
		state = Files.createTempDirectory("gateway-state");
		Path models = Files.createTempDirectory("gateway-models");
		controlPlane = ControlPlaneProcess.start("gateway", GATEWAY_SECRET, "routing:read,inference:call");
		String instanceSecret = createClient("inference-a", "[\"routing:read\"]");
		callerSecret = createClient("caller", "[\"predict\", \"predict:pinned\"]");
		labellerSecret = createClient("labeller", "[\"feedback:write\"]");
		controlPlane.sendJson("POST", "/api/v1/models", "{\"name\":\"fraud\"}");
		assertThat(controlPlane
			.upload("fraud", Files.readAllBytes(SyntheticClassifier.fraud().writeOnnx(models.resolve("v1.onnx"))))
			.statusCode()).isEqualTo(201);
		assertThat(controlPlane
			.upload("fraud", Files.readAllBytes(SyntheticClassifier.withFeatures(SyntheticClassifier.FRAUD_FEATURES, 9)
				.writeOnnx(models.resolve("v2.onnx"))))
			.statusCode()).isEqualTo(201);
		assertThat(controlPlane.sendJson("PUT", "/api/v1/deployments/fraud",
				"{\"model\": \"fraud\", \"stableVersion\": 1, \"canary\": {\"version\": 2, \"weightBasisPoints\": 0}}")
			.statusCode()).isEqualTo(201);
		assertThat(controlPlane
			.sendJson("PUT", "/api/v1/deployments/other", "{\"model\": \"fraud\", \"stableVersion\": 1}")
			.statusCode()).isEqualTo(201);
		assertThat(controlPlane
			.sendJson("PUT", "/api/v1/deployments/mirrored",
					"{\"model\": \"fraud\", \"stableVersion\": 1, \"shadow\": {\"version\": 2, \"percent\": 100}}")
			.statusCode()).isEqualTo(201);
		TestRedis test = TestRedis.get();
		String redisUri = "redis://" + test.host() + ":" + test.port();
		redisClient = RedisClient.create(RedisURI.create(redisUri));
		redis = redisClient.connect();
		instance = InferenceInstanceProcess.start(controlPlane.url(), "inference-a", instanceSecret, redisUri,
				controlPlane.redisPrefix(), "instance-a");
		GatewaySettings.follow(registry, controlPlane, GATEWAY_SECRET, state, redisUri);
	}

	private static String createClient(String clientId, String scopes) {
		HttpResponse<String> created = controlPlane.sendJson("POST", "/api/v1/clients",
				"{\"clientId\": \"" + clientId + "\", \"tenant\": \"acme\", \"scopes\": " + scopes + "}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return json.readTree(created.body()).path("clientSecret").asString();
	}

	@AfterAll
	static void stopProcesses() {
		if (redis != null) {
			redis.close();
			redisClient.shutdown();
		}
		if (instance != null) {
			instance.close();
		}
		if (controlPlane != null) {
			controlPlane.close();
		}
	}

	@BeforeEach
	void awaitRoutingAndWarmInstances() throws Exception {
		this.https = TrustingClients.trusting(state, HttpClient.Version.HTTP_2);
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.routing.table().deployment("mirrored") != null && this.directory.isWarm("fraud", 1)
					&& this.directory.isWarm("fraud", 2));
	}

	@Test
	void accuracyPerVersionIsTheShareOfLabelsThatMatchedWhatEachVersionServed() throws Exception {
		String caller = controlPlane.token("caller", callerSecret);
		List<String> feedback = new ArrayList<>();
		// Version 1 (the stable): six predictions, four labelled as predicted.
		for (int i = 0; i < 6; i++) {
			int predicted = predict("/v2/models/fraud/infer", caller, "acc-v1-" + i, i, "1");
			feedback.add(item("acc-v1-" + i, (i < 4) ? predicted : 1 - predicted));
		}
		// Version 2 (the canary, by name): four predictions, one labelled as predicted.
		for (int i = 0; i < 4; i++) {
			int predicted = predict("/v2/models/fraud/versions/2/infer", caller, "acc-v2-" + i, i, "2");
			feedback.add(item("acc-v2-" + i, (i < 1) ? predicted : 1 - predicted));
		}
		awaitServed(feedback.size(), "acc-");

		HttpResponse<String> answer = send(
				post("/v1/models/fraud:feedback", labeller(), "{\"feedback\": [" + String.join(",", feedback) + "]}"));

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		JsonNode results = json.readTree(answer.body()).path("results");
		assertThat(results.size()).isEqualTo(10);
		assertThat(results.get(0).toString()).isEqualTo(
				"{\"requestId\":\"acc-v1-0\",\"outcome\":\"joined\",\"modelVersion\":\"1\",\"correct\":1,\"incorrect\":0}");
		assertThat(results.get(9).toString()).isEqualTo(
				"{\"requestId\":\"acc-v2-3\",\"outcome\":\"joined\",\"modelVersion\":\"2\",\"correct\":0,\"incorrect\":1}");
		assertThat(accuracy("fraud", "1")).isEqualTo(4.0 / 6);
		assertThat(accuracy("fraud", "2")).isEqualTo(1.0 / 4);
		assertThat(labels("fraud", "1", "correct")).isEqualTo(4);
		assertThat(labels("fraud", "1", "incorrect")).isEqualTo(2);
		assertThat(labels("fraud", "2", "correct")).isEqualTo(1);
		assertThat(labels("fraud", "2", "incorrect")).isEqualTo(3);
	}

	@Test
	void feedbackSentTwiceIsCountedOnceAndAnUnknownRequestIdIsNoError() throws Exception {
		int predicted = predict("/v2/models/other/infer", controlPlane.token("caller", callerSecret), "dup-1", 3, "1");
		awaitServed(1, "dup-1");
		String body = "{\"requestId\": \"dup-1\", \"label\": " + predicted + "}";

		HttpResponse<String> first = send(post("/v1/models/other:feedback", labeller(), body));
		HttpResponse<String> second = send(post("/v1/models/other:feedback", labeller(), body));
		HttpResponse<String> unknown = send(
				post("/v1/models/other:feedback", labeller(), "{\"requestId\": \"never-served\", \"label\": 1}"));

		assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
		assertThat(json.readTree(first.body()).path("results").get(0).path("outcome").asString()).isEqualTo("joined");
		assertThat(second.statusCode()).isEqualTo(200);
		assertThat(json.readTree(second.body()).path("results").get(0).toString())
			.isEqualTo("{\"requestId\":\"dup-1\",\"outcome\":\"duplicate\",\"modelVersion\":\"1\"}");
		assertThat(unknown.statusCode()).isEqualTo(200);
		assertThat(json.readTree(unknown.body()).path("results").get(0).toString())
			.isEqualTo("{\"requestId\":\"never-served\",\"outcome\":\"unknown\"}");
		assertThat(labels("other", "1", "correct")).isEqualTo(1);
		assertThat(labels("other", "1", "duplicate")).isEqualTo(1);
		assertThat(this.meters.get("gateway.feedback.unknown").tag("model", "other").counter().count()).isEqualTo(1);
	}

	@Test
	void feedbackForAnotherModelsRequestIsRefusedAndLeavesItToBeLabelledByItsOwn() throws Exception {
		predict("/v2/models/other/infer", controlPlane.token("caller", callerSecret), "cross-1", 5, "1");
		awaitServed(1, "cross-1");

		HttpResponse<String> refused = send(
				post("/v1/models/fraud:feedback", labeller(), "{\"requestId\": \"cross-1\", \"label\": 1}"));

		assertThat(refused.statusCode()).isEqualTo(422);
		assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(refused.body()).contains("https://servinglayer.dev/problems/feedback-other-model")
			.doesNotContain("'other'");
		assertThat(redis.sync().hexists(ServedPrediction.key(controlPlane.redisPrefix(), "cross-1"), "joined"))
			.isFalse();
		HttpResponse<String> own = send(
				post("/v1/models/other:feedback", labeller(), "{\"requestId\": \"cross-1\", \"label\": 1}"));
		assertThat(json.readTree(own.body()).path("results").get(0).path("outcome").asString()).isEqualTo("joined");
	}

	@Test
	void aShadowCopyLeavesThePredictionTheClientWasServed() throws Exception {
		predict("/v2/models/mirrored/infer", controlPlane.token("caller", callerSecret), "shadowed-1", 2, "1");
		awaitServed(1, "shadowed-1");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.meters.find("gateway.shadow.requests").tag("model", "mirrored").counter() != null);
		// The instance writes what it serves in order: once a later prediction is
		// written, the shadow copy's would have been too.
		predict("/v2/models/other/infer", controlPlane.token("caller", callerSecret), "shadowed-2", 2, "1");
		awaitServed(2, "shadowed-");

		assertThat(redis.sync().hget(ServedPrediction.key(controlPlane.redisPrefix(), "shadowed-1"), "version"))
			.isEqualTo("1");
	}

	@Test
	void aPredictScopeIsNotEnoughToSendFeedback() throws Exception {
		HttpResponse<String> refused = send(post("/v1/models/other:feedback",
				controlPlane.token("caller", callerSecret), "{\"requestId\": \"r-1\", \"label\": 1}"));
		HttpResponse<String> anonymous = send(
				post("/v1/models/other:feedback", null, "{\"requestId\": \"r-1\", \"label\": 1}"));

		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope")
			.contains("feedback:write");
		assertThat(anonymous.statusCode()).isEqualTo(401);
	}

	@Test
	void aMalformedBodyIsRefused400AndAnUnknownModel404() throws Exception {
		for (String body : List.of("", "not json", "[]", "{\"requestId\": \"r-1\"}",
				"{\"requestId\": \"r 1\", \"label\": 1}", "{\"requestId\": \"r-1\", \"label\": {\"a\": 1}}",
				"{\"feedback\": []}", "{\"requestId\": \"r-1\", \"label\": 1, \"extra\": true}")) {
			HttpResponse<String> refused = send(post("/v1/models/other:feedback", labeller(), body));
			assertThat(refused.statusCode()).as(body).isEqualTo(400);
			assertThat(refused.headers().firstValue("Content-Type").orElseThrow())
				.startsWith("application/problem+json");
			assertThat(refused.body()).contains("https://servinglayer.dev/problems/invalid-feedback");
		}
		assertThat(send(post("/v1/models/nobody:feedback", labeller(), "{\"requestId\": \"r-1\", \"label\": 1}"))
			.statusCode()).isEqualTo(404);
	}

	/** Sends one row of three features; answers the class the version predicted. */
	private int predict(String path, String token, String requestId, int seed, String version) throws Exception {
		double a = (seed % 3) - 1.0;
		double b = (seed % 5) * 0.5 - 1.0;
		double c = (seed % 2 == 0) ? 1.5 : -1.5;
		String body = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [" + a
				+ ", " + b + ", " + c + "]}]}";
		HttpResponse<String> answer = send(post(path, token, body).header("X-Request-Id", requestId));
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(answer.headers().firstValue("X-Model-Version")).hasValue(version);
		JsonNode scores = json.readTree(answer.body()).path("outputs").get(0).path("data");
		return (scores.get(1).asDouble() > scores.get(0).asDouble()) ? 1 : 0;
	}

	private static String item(String requestId, int label) {
		return "{\"requestId\": \"" + requestId + "\", \"label\": " + label + "}";
	}

	private void awaitServed(int count, String requestIdPrefix) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> redis.sync()
				.keys(ServedPrediction.key(controlPlane.redisPrefix(), requestIdPrefix) + "*")
				.size() == count);
	}

	private double accuracy(String model, String version) {
		return this.meters.get("gateway.feedback.accuracy")
			.tag("model", model)
			.tag("model.version", version)
			.gauge()
			.value();
	}

	private double labels(String model, String version, String outcome) {
		return this.meters.get("gateway.feedback")
			.tag("model", model)
			.tag("model.version", version)
			.tag("outcome", outcome)
			.counter()
			.count();
	}

	private String labeller() {
		return controlPlane.token("labeller", labellerSecret);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.https.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder post(String path, String token, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + this.port + path));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
	}

}
