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
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.servinglayer.gateway.balancing.InstanceDirectory;
import io.servinglayer.gateway.tls.TrustingClients;
import io.servinglayer.samplemodels.IdentityModel;
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
 * Rollouts end to end: the real control plane (its jar) drives them on the outcomes a
 * real gateway records in Redis for traffic it forwards to a real inference instance.
 * Steps are seconds long and the leader ticks fast; nothing else is shortened.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		"servinglayer.gateway.outcomes.bucket=1s", "servinglayer.gateway.outcomes.flush-interval=200ms" })
class RolloutsIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String GATEWAY_SECRET = "gateway-secret-0123456789";

	private static final String GOOD_ROW = "[0.5, 1.0, -0.3]";

	/** A row the faulty canary fails on (a value of 3 or more); the stable answers it. */
	private static final String BAD_ROW = "[5.0, 1.0, 0.0]";

	private static ControlPlaneProcess controlPlane;

	private static InferenceInstanceProcess instance;

	private static Path state;

	private static String callerSecret;

	@LocalServerPort
	int port;

	@Autowired
	InstanceDirectory directory;

	private HttpClient https;

	@DynamicPropertySource
	static void followTheControlPlane(DynamicPropertyRegistry registry) throws Exception {
		state = Files.createTempDirectory("rollouts-state");
		Path models = Files.createTempDirectory("rollouts-models");
		controlPlane = ControlPlaneProcess.start("gateway", GATEWAY_SECRET, "routing:read,inference:call", Map.of(
				"SERVINGLAYER_CONTROLPLANE_ROLLOUTS_TICK", "200ms", "SERVINGLAYER_CONTROLPLANE_ROLLOUTS_MAXEXTENSIONS",
				"2", "SERVINGLAYER_CONTROLPLANE_ROLLOUTS_WARMTIMEOUT", "20s",
				"SERVINGLAYER_CONTROLPLANE_LEADER_LEASETIME", "3s", "SERVINGLAYER_CONTROLPLANE_LEADER_RENEWEVERY",
				"500ms", "SERVINGLAYER_CONTROLPLANE_OUTCOMES_BUCKET", "1s"));
		String instanceSecret = createClient("inference-a", "[\"routing:read\"]");
		callerSecret = createClient("caller", "[\"predict\"]");
		controlPlane.sendJson("POST", "/api/v1/models", "{\"name\":\"fraud\"}");
		upload(SyntheticClassifier.fraud().writeOnnx(models.resolve("v1.onnx")));
		upload(SyntheticClassifier.withFeatures(SyntheticClassifier.FRAUD_FEATURES, 9)
			.writeOnnx(models.resolve("v2.onnx")));
		upload(IdentityModel.writeFailingOnLargeValues(models.resolve("v3.onnx")));
		upload(IdentityModel.writeFailingAtRun(models.resolve("v4.onnx")));
		for (String deployment : List.of("good", "bad", "quiet", "broken")) {
			HttpResponse<String> created = controlPlane.sendJson("PUT", "/api/v1/deployments/" + deployment,
					"{\"model\": \"fraud\", \"stableVersion\": 1, \"stickyKey\": \"none\"}");
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		}
		TestRedis redis = TestRedis.get();
		String redisUri = "redis://" + redis.host() + ":" + redis.port();
		instance = InferenceInstanceProcess.start(controlPlane.url(), "inference-a", instanceSecret, redisUri,
				controlPlane.redisPrefix(), "instance-a");
		GatewaySettings.follow(registry, controlPlane, GATEWAY_SECRET, state, redisUri);
	}

	private static void upload(Path model) throws Exception {
		HttpResponse<String> uploaded = controlPlane.upload("fraud", Files.readAllBytes(model));
		assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
	}

	private static String createClient(String clientId, String scopes) {
		HttpResponse<String> created = controlPlane.sendJson("POST", "/api/v1/clients",
				"{\"clientId\": \"" + clientId + "\", \"tenant\": \"acme\", \"scopes\": " + scopes
						+ ", \"ratePlan\": {\"requestsPerSecond\": 1000, \"burst\": 1000}}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return json.readTree(created.body()).path("clientSecret").asString();
	}

	@AfterAll
	static void stopProcesses() {
		if (instance != null) {
			instance.close();
		}
		if (controlPlane != null) {
			controlPlane.close();
		}
	}

	@BeforeEach
	void awaitWarmStableVersions() throws Exception {
		this.https = TrustingClients.trusting(state, HttpClient.Version.HTTP_2);
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.directory.isWarm("good", 1) && this.directory.isWarm("quiet", 1)
					&& this.directory.isWarm("bad", 1) && this.directory.isWarm("broken", 1));
	}

	@Test
	void aGoodCanaryGoesThroughEveryStepToPromotedAndOnlyThenBecomesTheStableVersion() throws Exception {
		JsonNode rollout = start("good", """
				{"version": 2, "steps": [3000, 6000], "stepIntervalSeconds": 3,
				 "analysis": {"minRequests": 5, "maxErrorRate": 0.05, "maxP99RatioToStable": 20}}""");
		assertThat(rollout.path("state").asString()).isEqualTo("Pending");

		JsonNode ended;
		List<Integer> stableWhileProgressing = new ArrayList<>();
		try (Traffic traffic = new Traffic("good", List.of(GOOD_ROW))) {
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
				// The deployment first: promotion changes both in one transaction, so a
				// rollout still Progressing after it means the deployment was read
				// before.
				int stable = deployment("good").path("stableVersion").asInt();
				JsonNode now = rollout("good", rollout.path("id").asLong(), null);
				if (now.path("state").asString().equals("Progressing")) {
					stableWhileProgressing.add(stable);
				}
				return now.path("state").asString().equals("Promoted");
			});
			ended = rollout("good", rollout.path("id").asLong(), "30s");
			assertThat(traffic.failures()).isZero();
		}

		assertThat(ended.path("state").asString()).isEqualTo("Promoted");
		// A step that saw too little traffic on a busy machine is extended, never
		// skipped.
		assertThat(verdicts(ended)).filteredOn((verdict) -> !verdict.equals("extend"))
			.containsExactly("advance", "advance", "promote");
		JsonNode promotion = ended.path("decisions").get(ended.path("decisions").size() - 1);
		assertThat(promotion.path("canary").path("requests").asLong()).isGreaterThanOrEqualTo(5);
		assertThat(promotion.path("stable").path("requests").asLong()).isPositive();
		assertThat(stableWhileProgressing).isNotEmpty().containsOnly(1);
		JsonNode after = deployment("good");
		assertThat(after.path("stableVersion").asInt()).isEqualTo(2);
		// The old stable version stays loaded, weightless, for a rollback.
		assertThat(after.path("canary").path("version").asInt()).isEqualTo(1);
		assertThat(after.path("canary").path("weightBasisPoints").asInt()).isZero();
		assertThat(after.path("updatedBy").asString()).isEqualTo("system:rollouts");
	}

	@Test
	void aCanaryThatFailsAShareOfRequestsIsRolledBackWithinOneStepAndClientsGetTheStableVersionAfter()
			throws Exception {
		JsonNode rollout = start("bad", """
				{"version": 3, "steps": [5000, 10000], "stepIntervalSeconds": 30,
				 "analysis": {"minRequests": 5, "maxErrorRate": 0.05}}""");
		long id = rollout.path("id").asLong();

		try (Traffic traffic = new Traffic("bad", List.of(GOOD_ROW, BAD_ROW))) {
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(300))
				.until(() -> rollout("bad", id, null).path("state").asString().equals("RolledBack"));
		}

		JsonNode ended = rollout("bad", id, null);
		JsonNode rollback = ended.path("decisions").get(ended.path("decisions").size() - 1);
		assertThat(rollback.path("verdict").asString()).isEqualTo("rollback");
		assertThat(rollback.path("reason").asString()).contains("error rate");
		assertThat(rollback.path("canary").path("errors").asLong()).isPositive();
		assertThat(rollback.path("weight").asInt()).isZero();
		assertThat(ended.path("reason").asString()).contains("above maxErrorRate 0.05");
		// Judged mid-step: the first step lasts 30 s, the rollback came long before.
		assertThat(ended.path("currentStep").asInt()).isZero();
		assertThat(deployment("bad").path("canary").path("weightBasisPoints").asInt()).isZero();
		JsonNode audit = json
			.readTree(controlPlane.send("GET", "/api/v1/audit?action=rollout.rolledback", null, null).body());
		assertThat(audit.toString()).contains("bad/" + id);

		String token = controlPlane.token("caller", callerSecret);
		await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
			for (int i = 0; i < 10; i++) {
				HttpResponse<String> answer = infer("bad", token, BAD_ROW);
				assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
				assertThat(answer.headers().firstValue("X-Model-Version")).hasValue("1");
			}
		});
	}

	@Test
	void withoutTrafficARolloutNeverAdvancesAndEndsPausedForInsufficientTraffic() throws Exception {
		JsonNode rollout = start("quiet", """
				{"version": 2, "steps": [100, 5000], "stepIntervalSeconds": 1, "analysis": {"minRequests": 5}}""");
		long id = rollout.path("id").asLong();

		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(300))
			.until(() -> rollout("quiet", id, null).path("state").asString().equals("Paused"));

		JsonNode paused = rollout("quiet", id, null);
		assertThat(paused.path("reason").asString()).isEqualTo("insufficient-traffic");
		assertThat(paused.path("currentStep").asInt()).isZero();
		assertThat(verdicts(paused)).containsExactly("advance", "extend", "extend", "pause");
		assertThat(deployment("quiet").path("canary").path("weightBasisPoints").asInt()).isEqualTo(100);
		assertThat(deployment("quiet").path("stableVersion").asInt()).isEqualTo(1);
	}

	@Test
	void aCanaryThatCannotLoadNeverGetsWeightAndItsStatusNamesTheFailure() throws Exception {
		JsonNode rollout = start("broken", """
				{"version": 4, "steps": [1000], "stepIntervalSeconds": 1, "analysis": {"minRequests": 1}}""");
		long id = rollout.path("id").asLong();

		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(300))
			.until(() -> rollout("broken", id, null).path("reason").asString().contains("failed"));
		JsonNode waiting = rollout("broken", id, null);
		assertThat(waiting.path("state").asString()).isEqualTo("Pending");
		assertThat(waiting.path("reason").asString()).startsWith("waiting-for-warm").contains("warm-up failed");
		assertThat(deployment("broken").path("canary").path("weightBasisPoints").asInt()).isZero();
		JsonNode status = json
			.readTree(controlPlane.send("GET", "/api/v1/deployments/broken/status", null, null).body());
		assertThat(status.toString()).contains("warm-up failed");

		JsonNode ended = rollout("broken", id, "40s");
		assertThat(ended.path("state").asString()).isEqualTo("RolledBack");
		assertThat(ended.path("reason").asString()).startsWith("canary-not-warm");
		assertThat(verdicts(ended)).containsExactly("rollback");
		assertThat(deployment("broken").path("canary").path("weightBasisPoints").asInt()).isZero();
	}

	private static JsonNode start(String deployment, String body) {
		HttpResponse<String> started = controlPlane.sendJson("POST", "/api/v1/deployments/" + deployment + "/rollouts",
				body);
		assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
		assertThat(started.headers().firstValue("Location")).isPresent();
		return json.readTree(started.body());
	}

	private static JsonNode rollout(String deployment, long id, String wait) {
		HttpResponse<String> answer = controlPlane.send("GET",
				"/api/v1/deployments/" + deployment + "/rollouts/" + id + ((wait != null) ? "?wait=" + wait : ""), null,
				null);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return json.readTree(answer.body());
	}

	private static JsonNode deployment(String name) {
		return json.readTree(controlPlane.send("GET", "/api/v1/deployments/" + name, null, null).body());
	}

	private static List<String> verdicts(JsonNode rollout) {
		List<String> verdicts = new ArrayList<>();
		rollout.path("decisions").forEach((decision) -> verdicts.add(decision.path("verdict").asString()));
		return verdicts;
	}

	private HttpResponse<String> infer(String deployment, String token, String row) throws Exception {
		String body = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": " + row
				+ "}]}";
		return this.https.send(HttpRequest
			.newBuilder(URI.create("https://localhost:" + this.port + "/v2/models/" + deployment + "/infer"))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(20))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Steady traffic through the gateway, rows taken in turn, until closed; counts the
	 * answers that were neither 200 nor the canary's own failure.
	 */
	private final class Traffic implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicInteger failures = new AtomicInteger();

		private final Thread thread;

		Traffic(String deployment, List<String> rows) {
			String token = controlPlane.token("caller", callerSecret);
			this.thread = new Thread(() -> {
				int i = 0;
				while (this.running.get()) {
					try {
						HttpResponse<String> answer = infer(deployment, token, rows.get(i++ % rows.size()));
						if (answer.statusCode() != 200 && answer.statusCode() != 500) {
							this.failures.incrementAndGet();
						}
						Thread.sleep(20);
					}
					catch (InterruptedException ex) {
						return;
					}
					catch (Exception ex) {
						this.failures.incrementAndGet();
					}
				}
			}, "traffic-" + deployment);
			this.thread.setDaemon(true);
			this.thread.start();
		}

		int failures() {
			return this.failures.get();
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			this.thread.join(30_000);
		}

	}

}
