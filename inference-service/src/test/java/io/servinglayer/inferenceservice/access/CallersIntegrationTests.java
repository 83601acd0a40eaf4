package io.servinglayer.inferenceservice.access;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.servinglayer.inferenceservice.InstanceCalls;
import io.servinglayer.samplemodels.SyntheticClassifier;
import io.servinglayer.testsupport.ControlPlaneProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance with its default, {@code require-token: true}, against the real control
 * plane's token endpoint and keys: only a token with {@code inference:call} calls a model
 * or reads its metadata; health stays open.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "servinglayer.inference.callers.require-token=true")
class CallersIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String INSTANCE_SECRET = "inference-secret-0123456789";

	private static final String INFER = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", "
			+ "\"data\": [1, 2, 3]}]}";

	private static ControlPlaneProcess controlPlane;

	private static String gatewaySecret;

	@Autowired
	Environment environment;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@DynamicPropertySource
	static void followTheControlPlane(DynamicPropertyRegistry registry) throws Exception {
		Path models = Files.createTempDirectory("callers-models");
		controlPlane = ControlPlaneProcess.start("inference-callers", INSTANCE_SECRET);
		controlPlane.sendJson("POST", "/api/v1/models", "{\"name\":\"fraud\"}");
		assertThat(controlPlane
			.upload("fraud", Files.readAllBytes(SyntheticClassifier.fraud().writeOnnx(models.resolve("v1.onnx"))))
			.statusCode()).isEqualTo(201);
		assertThat(controlPlane
			.sendJson("PUT", "/api/v1/deployments/fraud", "{\"model\": \"fraud\", \"stableVersion\": 1}")
			.statusCode()).isEqualTo(201);
		HttpResponse<String> gateway = controlPlane.sendJson("POST", "/api/v1/clients",
				"{\"clientId\": \"gateway-callers\", \"tenant\": \"ops\", \"scopes\": [\"inference:call\"]}");
		assertThat(gateway.statusCode()).as(gateway.body()).isEqualTo(201);
		gatewaySecret = json.readTree(gateway.body()).path("clientSecret").asString();
		registry.add("servinglayer.inference.control-plane", () -> controlPlane.url().toString());
		registry.add("servinglayer.inference.client-id", () -> "inference-callers");
		registry.add("servinglayer.inference.client-secret", () -> INSTANCE_SECRET);
		registry.add("servinglayer.inference.state-directory", () -> models.resolve("state").toString());
	}

	@AfterAll
	static void stop() {
		controlPlane.close();
	}

	@BeforeEach
	void awaitReady() {
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> InstanceCalls.at(this.environment).get("/actuator/health/readiness").statusCode() == 200);
	}

	@Test
	void aCallWithoutATokenIsAnsweredWithAChallenge() throws Exception {
		for (HttpResponse<String> answer : new HttpResponse[] { call("/v2/models/fraud/infer", null),
				call("/v1/models/fraud:predict", null), get("/v2/models/fraud", null),
				get("/v2/models/fraud/ready", null) }) {
			assertThat(answer.statusCode()).as(answer.uri().toString()).isEqualTo(401);
			assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
					(challenge) -> assertThat(challenge).startsWith("Bearer ").doesNotContain("error="));
			assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			JsonNode problem = json.readTree(answer.body());
			assertThat(problem.path("type").asString()).endsWith("/unauthenticated");
			assertThat(problem.path("error").asString()).contains("inference:call");
		}
	}

	@Test
	void aTokenThatIsNotTheControlPlanesIsRefused() throws Exception {
		String forged = "eyJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6WyJpbmZlcmVuY2U6Y2FsbCJdfQ.c2lnbmF0dXJl";

		HttpResponse<String> answer = call("/v2/models/fraud/infer", forged);

		assertThat(answer.statusCode()).isEqualTo(401);
		assertThat(answer.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).contains("error=\"invalid_token\""));
		assertThat(json.readTree(answer.body()).path("type").asString()).endsWith("/invalid-token");
		assertThat(answer.body()).doesNotContain(forged);
	}

	@Test
	void aTokenWithoutTheScopeIsForbidden() throws Exception {
		String routingOnly = controlPlane.token("inference-callers", INSTANCE_SECRET);

		HttpResponse<String> answer = call("/v2/models/fraud/infer", routingOnly);

		assertThat(answer.statusCode()).isEqualTo(403);
		assertThat(answer.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).contains("error=\"insufficient_scope\"")
				.contains("scope=\"inference:call\""));
		assertThat(json.readTree(answer.body()).path("type").asString()).endsWith("/insufficient-scope");
		assertThat(get("/v2/models/fraud", routingOnly).statusCode()).isEqualTo(403);
	}

	@Test
	void theGatewaysTokenCallsModelsAndReadsTheirMetadata() throws Exception {
		String token = controlPlane.token("gateway-callers", gatewaySecret);

		HttpResponse<String> answer = call("/v2/models/fraud/infer", token);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(answer.headers().firstValue("X-Model-Version")).hasValue("1");
		assertThat(call("/v2/models/fraud/infer", token).statusCode()).isEqualTo(200);
		assertThat(get("/v2/models/fraud", token).statusCode()).isEqualTo(200);
		assertThat(call("/v2/models/fraud/versions/1/infer", token).statusCode()).isEqualTo(200);
	}

	@Test
	void healthAndActuatorNeedNoToken() throws Exception {
		assertThat(get("/v2/health/live", null).statusCode()).isEqualTo(200);
		assertThat(get("/v2/health/ready", null).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> call(String path, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(InstanceCalls.at(this.environment).uri(path))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString(path.endsWith(":predict") ? "{\"instances\": [{}]}" : INFER));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(InstanceCalls.at(this.environment).uri(path))
			.timeout(Duration.ofSeconds(10));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
