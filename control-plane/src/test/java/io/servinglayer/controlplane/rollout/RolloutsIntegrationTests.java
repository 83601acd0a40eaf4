package io.servinglayer.controlplane.rollout;

import java.nio.file.Files;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.TestModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rollout API and its state machine against real PostgreSQL. No instance announces
 * itself here, so no canary ever gets warm and no rollout leaves Pending by itself; the
 * end-to-end runs (steps, promotion, rollback) are the gateway module's
 * RolloutsIntegrationTests.
 */
@ControlPlaneIntegrationTest
class RolloutsIntegrationTests {

	private static boolean registered;

	@Autowired
	AdminApi api;

	@Autowired
	JdbcClient jdbc;

	@BeforeEach
	void registerModelWithThreeVersions() throws Exception {
		if (registered) {
			return;
		}
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"churn\"}").status()).isEqualTo(201);
		byte[] model = Files.readAllBytes(TestModels.fraudClassifier());
		for (int i = 0; i < 3; i++) {
			assertThat(this.api.upload("churn", model, null).status()).isEqualTo(201);
		}
		assertThat(this.api.post("/api/v1/models/churn/versions/3:archive").status()).isEqualTo(200);
		registered = true;
	}

	@Test
	void startingARolloutAnswers201AndPutsTheCanaryOnTheDeploymentAtWeightZero() {
		deploy("starting");

		Response started = start("starting", "{\"version\": 2, \"steps\": [100, 1000]}");

		assertThat(started.status()).as(started.toString()).isEqualTo(201);
		JsonNode body = started.json();
		assertThat(started.header("Location"))
			.isEqualTo("/api/v1/deployments/starting/rollouts/" + body.path("id").asLong());
		assertThat(body.path("state").asString()).isEqualTo("Pending");
		assertThat(body.path("currentStep").asInt()).isEqualTo(-1);
		assertThat(body.path("stepIntervalSeconds").asInt()).isEqualTo(60);
		assertThat(body.path("analysis").path("minRequests").asInt()).isEqualTo(100);
		assertThat(body.path("analysis").path("maxErrorRate").asDouble()).isEqualTo(0.01);
		JsonNode deployment = this.api.get("/api/v1/deployments/starting").json();
		assertThat(deployment.path("canary").path("version").asInt()).isEqualTo(2);
		assertThat(deployment.path("canary").path("weightBasisPoints").asInt()).isZero();
		assertThat(this.api.get("/api/v1/audit?action=rollout.created").body()).contains("starting/");
	}

	@Test
	void aSecondRolloutOnTheSameDeploymentIsAConflict() {
		deploy("twice");
		assertThat(start("twice", "{\"version\": 2, \"steps\": [100]}").status()).isEqualTo(201);

		Response second = start("twice", "{\"version\": 2, \"steps\": [100]}");

		assertThat(second.status()).isEqualTo(409);
		assertThat(second.problemType()).isEqualTo("rollout-conflict");
	}

	@Test
	void aManualChangeOfTheDeploymentPausesItsRollout() {
		deploy("manual");
		long id = start("manual", "{\"version\": 2, \"steps\": [100]}").json().path("id").asLong();
		String etag = this.api.get("/api/v1/deployments/manual").header("ETag");

		Response changed = this.api.send(this.api.request("/api/v1/deployments/manual", "If-Match", etag)
			.header("Content-Type", "application/json")
			.PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
					"{\"model\": \"churn\", \"stableVersion\": 1, \"canary\": {\"version\": 2, \"weightBasisPoints\": 500}}")));

		assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
		JsonNode rollout = this.api.get("/api/v1/deployments/manual/rollouts/" + id).json();
		assertThat(rollout.path("state").asString()).isEqualTo("Paused");
		assertThat(rollout.path("reason").asString()).startsWith("manual-change: ");
		assertThat(rollout.path("decisions").get(0).path("verdict").asString()).isEqualTo("pause");
	}

	@Test
	void abortingSetsTheCanaryWeightToZeroAndEndsTheRolloutForGood() {
		deploy("aborted");
		long id = start("aborted", "{\"version\": 2, \"steps\": [100]}").json().path("id").asLong();

		Response aborted = this.api.post("/api/v1/deployments/aborted/rollouts/" + id + ":abort");

		assertThat(aborted.status()).as(aborted.toString()).isEqualTo(200);
		assertThat(aborted.json().path("state").asString()).isEqualTo("Aborted");
		assertThat(aborted.json().path("finishedAt").isNull()).isFalse();
		assertThat(this.api.post("/api/v1/deployments/aborted/rollouts/" + id + ":resume").status()).isEqualTo(409);
		// Ended: a new rollout may start.
		assertThat(start("aborted", "{\"version\": 2, \"steps\": [100]}").status()).isEqualTo(201);
	}

	@Test
	void theListShowsADeploymentsRolloutsNewestFirstEachWithItsOwnDecisions() {
		deploy("listed");
		long first = start("listed", "{\"version\": 2, \"steps\": [100]}").json().path("id").asLong();
		this.api.post("/api/v1/deployments/listed/rollouts/" + first + ":pause");
		this.api.post("/api/v1/deployments/listed/rollouts/" + first + ":abort");
		long second = start("listed", "{\"version\": 2, \"steps\": [100]}").json().path("id").asLong();

		JsonNode items = this.api.get("/api/v1/deployments/listed/rollouts").json().path("items");

		assertThat(items).hasSize(2);
		assertThat(items.get(0).path("id").asLong()).isEqualTo(second);
		assertThat(items.get(0).path("decisions")).isEmpty();
		assertThat(items.get(1).path("id").asLong()).isEqualTo(first);
		assertThat(items.get(1).path("decisions").findValuesAsString("verdict")).containsExactly("pause", "abort");
	}

	@Test
	void promotingByHandMakesTheCanaryStableAndKeepsTheOldVersionWeightless() {
		deploy("promoted");
		long id = start("promoted", "{\"version\": 2, \"steps\": [100, 5000]}").json().path("id").asLong();
		assertThat(
				this.api.post("/api/v1/deployments/promoted/rollouts/" + id + ":pause").json().path("state").asString())
			.isEqualTo("Paused");
		assertThat(this.api.post("/api/v1/deployments/promoted/rollouts/" + id + ":resume")
			.json()
			.path("state")
			.asString()).isEqualTo("Pending");

		Response promoted = this.api.post("/api/v1/deployments/promoted/rollouts/" + id + ":promote");

		assertThat(promoted.json().path("state").asString()).isEqualTo("Promoted");
		JsonNode deployment = this.api.get("/api/v1/deployments/promoted").json();
		assertThat(deployment.path("stableVersion").asInt()).isEqualTo(2);
		assertThat(deployment.path("canary").path("version").asInt()).isEqualTo(1);
		assertThat(deployment.path("canary").path("weightBasisPoints").asInt()).isZero();
	}

	@Test
	void aLongPollOnAnEndedRolloutAnswersAtOnceAndAMalformedWaitIsA400() {
		deploy("waited");
		long id = start("waited", "{\"version\": 2, \"steps\": [100]}").json().path("id").asLong();
		this.api.post("/api/v1/deployments/waited/rollouts/" + id + ":abort");

		assertThat(this.api.get("/api/v1/deployments/waited/rollouts/" + id + "?wait=300s")
			.json()
			.path("state")
			.asString()).isEqualTo("Aborted");
		assertThat(this.api.get("/api/v1/deployments/waited/rollouts/" + id + "?wait=forever").status()).isEqualTo(400);
		assertThat(this.api.get("/api/v1/deployments/waited/rollouts/" + id + "?wait=11m").status()).isEqualTo(400);
		assertThat(this.api.get("/api/v1/deployments/waited/rollouts/999999").status()).isEqualTo(404);
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			{"steps": [100]}                                                   | version
			{"version": 9, "steps": [100]}                                     | version
			{"version": 3, "steps": [100]}                                     | version
			{"version": 1, "steps": [100]}                                     | version
			{"version": 2}                                                     | steps
			{"version": 2, "steps": []}                                        | steps
			{"version": 2, "steps": [0]}                                       | steps[0]
			{"version": 2, "steps": [100, 10001]}                              | steps[1]
			{"version": 2, "steps": [500, 100]}                                | steps[1]
			{"version": 2, "steps": [100], "stepIntervalSeconds": 0}           | stepIntervalSeconds
			{"version": 2, "steps": [100], "stepIntervalSeconds": 3601}        | stepIntervalSeconds
			{"version": 2, "steps": [100], "analysis": {"minRequests": 0}}     | analysis.minRequests
			{"version": 2, "steps": [100], "analysis": {"maxErrorRate": 1.5}}  | analysis.maxErrorRate
			{"version": 2, "steps": [100], "analysis": {"maxP99Ms": 0}}        | analysis.maxP99Ms
			{"version": 2, "steps": [100], "analysis": {"maxP99RatioToStable": 0.5}} | analysis.maxP99RatioToStable
			{"version": 2, "steps": [100], "analysis": {"maxBurnRate": -1}}    | analysis.maxBurnRate
			""")
	void rejectsARolloutPlanNamingTheFieldAndChangesNothing(String body, String field) {
		String name = "invalid-" + Integer.toHexString(body.hashCode());
		deploy(name);

		Response refused = start(name, body);

		assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
		assertThat(refused.json().path("errors").toString()).contains("\"field\":\"" + field + "\"");
		assertThat(this.jdbc.sql("SELECT count(*) FROM rollout WHERE deployment = ?")
			.param(name)
			.query(Long.class)
			.single()).isZero();
		assertThat(this.api.get("/api/v1/deployments/" + name).json().path("canary").isNull()).isTrue();
	}

	private void deploy(String name) {
		Response created = this.api.send(this.api.request("/api/v1/deployments/" + name)
			.header("Content-Type", "application/json")
			.PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\": \"churn\", \"stableVersion\": 1}")));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
	}

	private Response start(String deployment, String body) {
		return this.api.postJson("/api/v1/deployments/" + deployment + "/rollouts", body);
	}

}
