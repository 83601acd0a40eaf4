package io.servinglayer.controlplane.deploymentstatus;

import io.servinglayer.contracts.InstanceAnnouncement;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneApplication;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.controlplane.system.RedisNamespace;
import io.servinglayer.testsupport.TestModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deployment's status, read from announcements written into Redis in the shape the
 * inference service's {@code InstanceAnnouncer} writes them (its
 * {@code InstanceAnnouncerIntegrationTests} asserts that shape on the writing side).
 */
@ControlPlaneIntegrationTest
class DeploymentStatusIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static boolean deployed;

	@Autowired
	AdminApi api;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	RedisNamespace namespace;

	@Autowired
	Environment environment;

	@Autowired
	DeploymentStatuses statuses;

	@BeforeEach
	void deployFraudWithACanaryAndAShadow() throws Exception {
		if (deployed) {
			return;
		}
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"fraud\"}").status()).isEqualTo(201);
		byte[] model = Files.readAllBytes(TestModels.fraudClassifier());
		for (int i = 0; i < 3; i++) {
			assertThat(this.api.upload("fraud", model, null).status()).isEqualTo(201);
		}
		deploy("fraud", "default", """
				{"model": "fraud", "pool": "default", "stableVersion": 1,
				 "canary": {"version": 2, "weightBasisPoints": 1000}, "shadow": {"version": 3, "percent": 5}}""");
		deploy("quiet", "empty", "{\"model\": \"fraud\", \"pool\": \"empty\", \"stableVersion\": 1}");
		deploy("older", "older", "{\"model\": \"fraud\", \"pool\": \"older\", \"stableVersion\": 1}");
		deployed = true;
	}

	private void deploy(String name, String pool, String spec) {
		Response created = this.api
			.send(this.api.request("/api/v1/deployments/" + name, "Content-Type", "application/json")
				.PUT(HttpRequest.BodyPublishers.ofString(spec)));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
	}

	/**
	 * Writes an instance's announcement as {@code InstanceAnnouncer} does: the document
	 * under {@code {prefix}instances:{{pool}}:{instanceId}} and the index entry scored by
	 * the epoch millis the announcement expires.
	 */
	private void announce(String pool, String instanceId, long expiresAtMillis, String readyVersions, String versions) {
		String index = InstanceAnnouncement.indexKey(this.namespace.keyPrefix(), pool);
		String document = """
				{"instanceId": "%s", "baseUrl": "http://10.0.0.7:8082", "pool": "%s",
				 "readyVersions": %s,
				 "versions": %s,
				 "announcedAt": "2026-11-28T10:00:00Z"}""".formatted(instanceId, pool, readyVersions, versions);
		this.redis.opsForValue().set(index + ":" + instanceId, document, Duration.ofMinutes(1));
		this.redis.opsForZSet().add(index, instanceId, expiresAtMillis);
	}

	@Test
	void countsEachVersionWarmLoadingAndFailedAcrossThePoolsLiveInstancesWithTheReasons() {
		long live = System.currentTimeMillis() + 60_000;
		announce("default", "i-1", live, "[\"churn/1\", \"fraud/1\", \"fraud/2\"]", """
				[{"deployment": "churn", "version": 1, "state": "warm"},
				 {"deployment": "fraud", "version": 1, "state": "warm"},
				 {"deployment": "fraud", "version": 2, "state": "warm"}]""");
		announce("default", "i-2", live, "[\"fraud/1\"]", """
				[{"deployment": "fraud", "version": 1, "state": "warm"},
				 {"deployment": "fraud", "version": 2, "state": "loading"}]""");
		announce("default", "i-3", live, "[\"fraud/1\", \"fraud/4\"]", """
				[{"deployment": "fraud", "version": 1, "state": "warm"},
				 {"deployment": "fraud", "version": 2, "state": "failed", "reason": "digest mismatch"},
				 {"deployment": "fraud", "version": 4, "state": "warm"}]""");
		// In the pool, with none of this deployment's versions: still one of its
		// instances.
		announce("default", "i-4", live, "[\"churn/1\"]", """
				[{"deployment": "churn", "version": 1, "state": "warm"}]""");
		// Its announcement expired (a crashed instance): not counted, though the
		// document is still there.
		announce("default", "i-5", System.currentTimeMillis() - 1_000, "[\"fraud/2\"]", """
				[{"deployment": "fraud", "version": 2, "state": "warm"}]""");

		Response response = this.api.get("/api/v1/deployments/fraud/status");

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode status = response.json();
		assertThat(status.propertyNames()).containsExactly("deployment", "pool", "observedAt", "instances", "versions");
		assertThat(status.path("deployment").asString()).isEqualTo("fraud");
		assertThat(status.path("pool").asString()).isEqualTo("default");
		assertThat(Instant.parse(status.path("observedAt").asString())).isBetween(Instant.now().minusSeconds(60),
				Instant.now());
		assertThat(status.path("versions")).isEqualTo(json.readTree("""
				[{"version": 1, "role": "stable", "warm": 3, "loading": 0, "failed": 0, "failureReasons": []},
				 {"version": 2, "role": "canary", "warm": 1, "loading": 1, "failed": 1,
				  "failureReasons": ["digest mismatch"]},
				 {"version": 3, "role": "shadow", "warm": 0, "loading": 0, "failed": 0, "failureReasons": []},
				 {"version": 4, "role": "none", "warm": 1, "loading": 0, "failed": 0, "failureReasons": []}]"""));
		JsonNode instances = status.path("instances");
		assertThat(instances.findValuesAsString("instanceId")).containsExactly("i-1", "i-2", "i-3", "i-4");
		assertThat(instances.get(0).path("baseUrl").asString()).isEqualTo("http://10.0.0.7:8082");
		assertThat(instances.get(0).path("announcedAt").asString()).isEqualTo("2026-11-28T10:00:00Z");
		assertThat(instances.get(0).path("versions")).isEqualTo(json.readTree("""
				[{"version": 1, "state": "warm", "reason": null},
				 {"version": 2, "state": "warm", "reason": null}]"""));
		assertThat(instances.get(2).path("versions").get(1)).isEqualTo(json.readTree("""
				{"version": 2, "state": "failed", "reason": "digest mismatch"}"""));
		assertThat(instances.get(3).path("versions").isEmpty()).isTrue();

		DeploymentStatus read = this.statuses.of("fraud");
		assertThat(read.instanceCount()).isEqualTo(4);
		assertThat(read.warmInstances(1)).isEqualTo(3);
		assertThat(read.warmInstances(2)).isEqualTo(1);
		assertThat(read.warmInstances(3)).isZero();
	}

	@Test
	void listsTheSpecsVersionsWithNoInstancesWhenThePoolHasNone() {
		Response response = this.api.get("/api/v1/deployments/quiet/status");

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().path("instances").isEmpty()).isTrue();
		assertThat(response.json().path("versions")).isEqualTo(json.readTree("""
				[{"version": 1, "role": "stable", "warm": 0, "loading": 0, "failed": 0, "failureReasons": []}]"""));
	}

	@Test
	void countsTheReadyVersionsOfAnInstanceThatAnnouncesNoStatesAsWarm() {
		// An instance of a release before version states were announced, as during a
		// rolling upgrade.
		String index = InstanceAnnouncement.indexKey(this.namespace.keyPrefix(), "older");
		this.redis.opsForValue()
			.set(index + ":i-old",
					"{\"instanceId\": \"i-old\", \"baseUrl\": \"http://10.0.0.8:8082\", "
							+ "\"pool\": \"older\", \"readyVersions\": [\"older/1\", \"other/1\"]}",
					Duration.ofMinutes(1));
		this.redis.opsForZSet().add(index, "i-old", System.currentTimeMillis() + 60_000);
		// Not an announcement at all: skipped.
		this.redis.opsForValue().set(index + ":i-junk", "not json", Duration.ofMinutes(1));
		this.redis.opsForZSet().add(index, "i-junk", System.currentTimeMillis() + 60_000);

		DeploymentStatus status = this.statuses.of("older");

		assertThat(status.instanceCount()).isEqualTo(1);
		assertThat(status.instances().get(0).versions())
			.containsExactly(new DeploymentStatus.VersionState(1, "warm", null));
		assertThat(status.instances().get(0).announcedAt()).isNull();
		assertThat(status.warmInstances(1)).isEqualTo(1);
	}

	@Test
	void answersAnUnknownDeploymentWith404() {
		Response response = this.api.get("/api/v1/deployments/no-such-deployment/status");

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.problemType()).isEqualTo("deployment-not-found");
	}

	@Test
	void answers503WithAProblemWhenRedisCannotBeReached() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		String token = this.api.token(ControlPlaneIntegrationTest.ADMIN_CLIENT,
				ControlPlaneIntegrationTest.ADMIN_SECRET);
		// A second control plane on the same database, whose Redis is not there.
		try (ConfigurableApplicationContext withoutRedis = new SpringApplicationBuilder(ControlPlaneApplication.class)
			.run("--server.port=0", "--spring.datasource.url=" + this.environment.getProperty("spring.datasource.url"),
					"--spring.datasource.username=" + this.environment.getProperty("spring.datasource.username"),
					"--spring.datasource.password=" + this.environment.getProperty("spring.datasource.password"),
					"--spring.datasource.hikari.maximum-pool-size=2", "--spring.data.redis.host=127.0.0.1",
					"--spring.data.redis.port=" + closedPort,
					"--servinglayer.control-plane.access.issuer=" + ControlPlaneIntegrationTest.ISSUER,
					"--servinglayer.control-plane.signing-keys.key-encryption-key="
							+ ControlPlaneIntegrationTest.KEY_ENCRYPTION_KEY,
					"--servinglayer.control-plane.state-directory=" + ControlPlaneIntegrationTest.STATE_DIRECTORY)) {
			String port = withoutRedis.getEnvironment().getProperty("local.server.port");
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest
					.newBuilder(URI.create("http://localhost:" + port + "/api/v1/deployments/fraud/status"))
					.header("Authorization", "Bearer " + token)
					.timeout(Duration.ofSeconds(20))
					.build(), HttpResponse.BodyHandlers.ofString());

			assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
			assertThat(response.headers().firstValue("Content-Type").orElseThrow())
				.startsWith("application/problem+json");
			assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
			JsonNode problem = json.readTree(response.body());
			assertThat(problem.path("type").asString())
				.isEqualTo("https://servinglayer.dev/problems/deployment-status-unavailable");
			assertThat(problem.path("title").asString()).isEqualTo("Deployment status unavailable");
		}
	}

}
