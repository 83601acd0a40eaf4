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

import io.servinglayer.gateway.balancing.InstanceDirectory;
import io.servinglayer.gateway.tls.TrustingClients;
import io.servinglayer.samplemodels.SyntheticClassifier;
import io.servinglayer.testsupport.ControlPlaneProcess;
import io.servinglayer.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
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
 * Two control-plane replicas on one database: the one that leads rollouts is killed
 * (SIGKILL) in the middle of a rollout, and the other takes the lease and carries the
 * rollout on from the step it had reached, repeating and skipping none. The gateway and
 * the instance follow the replica that survives.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		"servinglayer.gateway.outcomes.bucket=1s", "servinglayer.gateway.outcomes.flush-interval=200ms" })
class RolloutFailoverIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String GATEWAY_SECRET = "gateway-secret-0123456789";

	private static ControlPlaneProcess leader;

	private static ControlPlaneProcess follower;

	private static InferenceInstanceProcess instance;

	private static Path state;

	private static String callerSecret;

	@LocalServerPort
	int port;

	@Autowired
	InstanceDirectory directory;

	@DynamicPropertySource
	static void followTheSurvivingReplica(DynamicPropertyRegistry registry) throws Exception {
		state = Files.createTempDirectory("failover-state");
		Path models = Files.createTempDirectory("failover-models");
		leader = ControlPlaneProcess.start("gateway", GATEWAY_SECRET, "routing:read,inference:call",
				Map.of("SERVINGLAYER_CONTROLPLANE_ROLLOUTS_TICK", "200ms", "SERVINGLAYER_CONTROLPLANE_LEADER_LEASETIME",
						"3s", "SERVINGLAYER_CONTROLPLANE_LEADER_RENEWEVERY", "300ms",
						"SERVINGLAYER_CONTROLPLANE_OUTCOMES_BUCKET", "1s"));
		await().atMost(Duration.ofSeconds(30)).until(() -> leads(leader));
		follower = leader.startReplica();
		assertThat(leads(follower)).isFalse();
		String instanceSecret = createClient("inference-a", "[\"routing:read\"]");
		callerSecret = createClient("caller", "[\"predict\"]");
		follower.sendJson("POST", "/api/v1/models", "{\"name\":\"fraud\"}");
		for (long seed : new long[] { 7, 9 }) {
			HttpResponse<String> uploaded = follower.upload("fraud",
					Files.readAllBytes(SyntheticClassifier.withFeatures(SyntheticClassifier.FRAUD_FEATURES, seed)
						.writeOnnx(models.resolve("v" + seed + ".onnx"))));
			assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
		}
		assertThat(follower
			.sendJson("PUT", "/api/v1/deployments/steady",
					"{\"model\": \"fraud\", \"stableVersion\": 1, \"stickyKey\": \"none\"}")
			.statusCode()).isEqualTo(201);
		TestRedis redis = TestRedis.get();
		String redisUri = "redis://" + redis.host() + ":" + redis.port();
		instance = InferenceInstanceProcess.start(follower.url(), "inference-a", instanceSecret, redisUri,
				follower.redisPrefix(), "instance-a");
		GatewaySettings.follow(registry, follower, GATEWAY_SECRET, state, redisUri);
	}

	private static String createClient(String clientId, String scopes) {
		HttpResponse<String> created = follower.sendJson("POST", "/api/v1/clients",
				"{\"clientId\": \"" + clientId + "\", \"tenant\": \"acme\", \"scopes\": " + scopes
						+ ", \"ratePlan\": {\"requestsPerSecond\": 1000, \"burst\": 1000}}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return json.readTree(created.body()).path("clientSecret").asString();
	}

	/** Whether the replica says it holds the rollout lease (its leader gauge). */
	private static boolean leads(ControlPlaneProcess replica) {
		HttpResponse<String> metrics = replica.send("GET", "/actuator/prometheus", null, null);
		return metrics.body()
			.lines()
			.anyMatch((line) -> line.startsWith("controlplane_leader") && line.endsWith(" 1.0"));
	}

	@AfterAll
	static void stopProcesses() {
		for (AutoCloseable process : new AutoCloseable[] { instance, follower, leader }) {
			try {
				if (process != null) {
					process.close();
				}
			}
			catch (Exception ex) {
				// Closing the rest matters more.
			}
		}
	}

	@Test
	void killingTheLeadingControlPlaneMidRolloutLetsTheOtherReplicaCarryOnFromTheSameStep() throws Exception {
		HttpClient https = TrustingClients.trusting(state, HttpClient.Version.HTTP_2);
		await().atMost(Duration.ofSeconds(90)).until(() -> this.directory.isWarm("steady", 1));
		HttpResponse<String> started = follower.sendJson("POST", "/api/v1/deployments/steady/rollouts", """
				{"version": 2, "steps": [2000, 4000, 6000, 8000], "stepIntervalSeconds": 4,
				 "analysis": {"minRequests": 5, "maxErrorRate": 0.05}}""");
		assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
		long id = json.readTree(started.body()).path("id").asLong();
		String token = follower.token("caller", callerSecret);
		AtomicBoolean running = new AtomicBoolean(true);
		Thread traffic = new Thread(() -> {
			String body = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [0.5, 1.0, -0.3]}]}";
			while (running.get()) {
				try {
					https.send(HttpRequest
						.newBuilder(URI.create("https://localhost:" + this.port + "/v2/models/steady/infer"))
						.header("Authorization", "Bearer " + token)
						.header("Content-Type", "application/json")
						.timeout(Duration.ofSeconds(10))
						.POST(HttpRequest.BodyPublishers.ofString(body))
						.build(), HttpResponse.BodyHandlers.discarding());
					Thread.sleep(20);
				}
				catch (InterruptedException ex) {
					return;
				}
				catch (Exception ex) {
					// The rollout's analysis counts what reached the gateway.
				}
			}
		}, "traffic-steady");
		traffic.setDaemon(true);
		traffic.start();
		try {
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> rollout(id).path("currentStep").asInt() >= 1);
			int stepAtKill = rollout(id).path("currentStep").asInt();

			leader.kill();

			JsonNode atTakeover = rollout(id);
			assertThat(atTakeover.path("currentStep").asInt()).isEqualTo(stepAtKill);
			await().atMost(Duration.ofSeconds(30)).until(() -> leads(follower));
			await().atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofMillis(300))
				.until(() -> rollout(id).path("state").asString().equals("Promoted"));
		}
		finally {
			running.set(false);
			traffic.join(15_000);
		}

		JsonNode ended = rollout(id);
		List<String> verdicts = new ArrayList<>();
		List<Integer> steps = new ArrayList<>();
		// Extensions (too little traffic on a busy machine) hold a step; they never move
		// it.
		ended.path("decisions").forEach((decision) -> {
			if (!decision.path("verdict").asString().equals("extend")) {
				verdicts.add(decision.path("verdict").asString());
				steps.add(decision.path("step").asInt());
			}
		});
		assertThat(verdicts).containsExactly("advance", "advance", "advance", "advance", "promote");
		assertThat(steps).containsExactly(0, 1, 2, 3, 3);
		assertThat(json.readTree(follower.send("GET", "/api/v1/deployments/steady", null, null).body())
			.path("stableVersion")
			.asInt()).isEqualTo(2);
	}

	private static JsonNode rollout(long id) {
		HttpResponse<String> answer = follower.send("GET", "/api/v1/deployments/steady/rollouts/" + id, null, null);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return json.readTree(answer.body());
	}

}
