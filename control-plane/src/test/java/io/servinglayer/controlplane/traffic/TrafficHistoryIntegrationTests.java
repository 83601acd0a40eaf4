package io.servinglayer.controlplane.traffic;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.controlplane.GatewayOutcomes;
import io.servinglayer.controlplane.system.RedisNamespace;
import io.servinglayer.testsupport.TestModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code GET /api/v1/deployments/{name}/traffic/history} against real Redis and
 * PostgreSQL, with outcomes written where the gateways write them: buckets in Redis, and
 * minutes the leader's roll-up copied into PostgreSQL.
 */
@ControlPlaneIntegrationTest
class TrafficHistoryIntegrationTests {

	private static boolean registered;

	@Autowired
	AdminApi api;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	RedisNamespace namespace;

	@Autowired
	JdbcClient jdbc;

	GatewayOutcomes outcomes;

	@BeforeEach
	void registerFraudWithTwoVersions() throws Exception {
		this.outcomes = new GatewayOutcomes(this.redis, this.namespace);
		if (registered) {
			return;
		}
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"fraud\"}").status()).isEqualTo(201);
		byte[] model = Files.readAllBytes(TestModels.fraudClassifier());
		for (int i = 0; i < 3; i++) {
			assertThat(this.api.upload("fraud", model, null).status()).isEqualTo(201);
		}
		registered = true;
	}

	@Test
	void givesEachVersionsRequestRateErrorRateAndP99PerIntervalFromTheGatewaysBuckets() {
		deploy("split", """
				{"model": "fraud", "stableVersion": 1, "canary": {"version": 2, "weightBasisPoints": 3300},
				 "shadow": {"version": 3, "percent": 10}}""");
		Instant fiveMinutesAgo = Instant.now().minus(Duration.ofMinutes(5));
		// Stable: 90 answers within 25 ms and 10 in 80 ms, one of them an error.
		this.outcomes.answered("split", 1, fiveMinutesAgo, 90, 0, 20);
		this.outcomes.answered("split", 1, fiveMinutesAgo, 10, 1, 80);
		// Canary: 50 answers in 300 ms, 5 of them errors.
		this.outcomes.answered("split", 2, fiveMinutesAgo, 50, 5, 300);

		Response response = this.api.get("/api/v1/deployments/split/traffic/history?minutes=10&points=10");

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode history = response.json();
		assertThat(history.path("deployment").asString()).isEqualTo("split");
		assertThat(history.path("stepSeconds").asLong()).isEqualTo(60);
		Instant from = Instant.parse(history.path("from").asString());
		Instant to = Instant.parse(history.path("to").asString());
		assertThat(Duration.between(from, to)).isEqualTo(Duration.ofMinutes(10));
		assertThat(to).isBeforeOrEqualTo(Instant.now()).isAfter(Instant.now().minusSeconds(20));
		assertThat(history.path("latencyBoundsMs").toString()).isEqualTo("[25,50,100,200,500,1000,2500,5000]");
		assertThat(roles(history)).containsExactly("1 stable", "2 canary", "3 shadow");
		int written = (int) (Duration.between(from, fiveMinutesAgo).toSeconds() / 60);

		JsonNode stable = history.path("versions").get(0).path("points");
		assertThat(stable.size()).isEqualTo(10);
		JsonNode stablePoint = stable.get(written);
		assertThat(stablePoint.path("requests").asLong()).isEqualTo(100);
		assertThat(stablePoint.path("errors").asLong()).isEqualTo(1);
		assertThat(stablePoint.path("requestsPerSecond").asDouble()).isCloseTo(100 / 60.0, within(1e-9));
		assertThat(stablePoint.path("errorRate").asDouble()).isCloseTo(0.01, within(1e-9));
		// The 99th of 100 answers lies in the 50-100 ms bucket, 9 of its 10 answers in.
		assertThat(stablePoint.path("p99Ms").asDouble()).isCloseTo(95.0, within(1e-9));
		assertThat(Instant.parse(stablePoint.path("start").asString())).isEqualTo(from.plusSeconds(60L * written));
		JsonNode canaryPoint = history.path("versions").get(1).path("points").get(written);
		assertThat(canaryPoint.path("requests").asLong()).isEqualTo(50);
		assertThat(canaryPoint.path("errorRate").asDouble()).isCloseTo(0.1, within(1e-9));
		assertThat(canaryPoint.path("p99Ms").asDouble()).isCloseTo(497.0, within(1e-9));
		for (int i = 0; i < 10; i++) {
			JsonNode shadowPoint = history.path("versions").get(2).path("points").get(i);
			assertThat(shadowPoint.path("requests").asLong()).isZero();
			assertThat(shadowPoint.path("requestsPerSecond").asDouble()).isZero();
			assertThat(shadowPoint.path("errorRate").isNull()).as("no requests, no error rate").isTrue();
			assertThat(shadowPoint.path("p99Ms").isNull()).as("no requests, no p99").isTrue();
			if (i != written) {
				assertThat(stable.get(i).path("requests").asLong()).as("point %d", i).isZero();
			}
		}
	}

	@Test
	void intervalsAreWholeBucketsSoAShortWindowHasFewerPointsThanAsked() {
		deploy("short", "{\"model\": \"fraud\", \"stableVersion\": 1}");

		JsonNode history = this.api.get("/api/v1/deployments/short/traffic/history?minutes=5&points=120").json();

		assertThat(history.path("stepSeconds").asLong()).isEqualTo(10);
		assertThat(history.path("versions").get(0).path("points").size()).isEqualTo(30);
		assertThat(Instant.parse(history.path("to").asString()).getEpochSecond() % 10).isZero();
	}

	@Test
	void aWindowPastTheHoursRedisKeepsReadsTheRolledUpMinutesThereAndRedisAfterwardsCountingNothingTwice() {
		deploy("long", "{\"model\": \"fraud\", \"stableVersion\": 1}");
		Instant fourHoursAgo = Instant.now().minus(Duration.ofHours(4)).truncatedTo(ChronoUnit.MINUTES);
		Instant twoMinutesAgo = Instant.now().minus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.MINUTES);
		// What the leader's roll-up copied: 600 answers within 50 ms four hours ago, 6 of
		// them errors, and the 7 answers of two minutes ago that Redis still has too.
		rolledUp("long", fourHoursAgo, 600, 6, "{\"le_50\": 600}");
		rolledUp("long", twoMinutesAgo, 7, 0, "{\"le_25\": 7}");
		this.outcomes.answered("long", 1, twoMinutesAgo.plusSeconds(5), 7, 0, 10);

		JsonNode history = this.api.get("/api/v1/deployments/long/traffic/history?minutes=360&points=6").json();

		assertThat(history.path("stepSeconds").asLong()).isEqualTo(3600);
		Instant from = Instant.parse(history.path("from").asString());
		assertThat(from.getEpochSecond() % 60).as("whole minutes").isZero();
		JsonNode points = history.path("versions").get(0).path("points");
		assertThat(points.size()).isEqualTo(6);
		JsonNode old = points.get((int) (Duration.between(from, fourHoursAgo).toSeconds() / 3600));
		assertThat(old.path("requests").asLong()).isEqualTo(600);
		assertThat(old.path("requestsPerSecond").asDouble()).isCloseTo(600 / 3600.0, within(1e-9));
		assertThat(old.path("errorRate").asDouble()).isCloseTo(0.01, within(1e-9));
		assertThat(old.path("p99Ms").asDouble()).isCloseTo(25 + 25 * (594 / 600.0), within(1e-9));
		assertThat(points.get(5).path("requests").asLong()).isEqualTo(7);
		long total = 0;
		for (JsonNode point : points) {
			total += point.path("requests").asLong();
		}
		assertThat(total).isEqualTo(607);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "minutes=4", "minutes=1441", "minutes=sixty", "minutes=", "points=1", "points=121",
			"points=1.5", "minutes=60&points=0" })
	void aParameterOutOfBoundsIs400AndNamesIt(String query) {
		if (this.api.get("/api/v1/deployments/bounded").status() == 404) {
			deploy("bounded", "{\"model\": \"fraud\", \"stableVersion\": 1}");
		}

		Response response = this.api.get("/api/v1/deployments/bounded/traffic/history?" + query);

		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.problemType()).isEqualTo("invalid-parameter");
		String parameter = query.substring(query.lastIndexOf('&') + 1, query.indexOf('=', query.lastIndexOf('&')));
		assertThat(response.json().path("detail").asString()).startsWith(parameter + ":");
	}

	@Test
	void anUnknownDeploymentIs404() {
		Response response = this.api.get("/api/v1/deployments/ghost/traffic/history");

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.problemType()).isEqualTo("deployment-not-found");
	}

	@Test
	void aViewerReadsItAndAClientThatOnlyPredictsDoesNot() {
		deploy("watched", "{\"model\": \"fraud\", \"stableVersion\": 1}");
		String path = "/api/v1/deployments/watched/traffic/history";

		assertThat(this.api.as(token("traffic-viewer", "registry:read")).get(path).status()).isEqualTo(200);
		Response predictor = this.api.as(token("traffic-predictor", "predict")).get(path);
		assertThat(predictor.status()).isEqualTo(403);
		assertThat(predictor.problemType()).isEqualTo("insufficient-scope");
		assertThat(this.api.anonymous().get(path).status()).isEqualTo(401);
	}

	private String token(String clientId, String scope) {
		Response created = this.api.postJson("/api/v1/clients",
				"{\"clientId\":\"" + clientId + "\",\"scopes\":[\"" + scope + "\"],\"tenant\":\"test\"}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return this.api.token(clientId, created.json().path("clientSecret").asString());
	}

	private static List<String> roles(JsonNode history) {
		List<String> roles = new ArrayList<>();
		history.path("versions")
			.forEach((version) -> roles.add(version.path("version").asInt() + " " + version.path("role").asString()));
		return roles;
	}

	private void rolledUp(String deployment, Instant minute, long requests, long errors, String latency) {
		this.jdbc.sql("""
				INSERT INTO outcome_minute (deployment, version, minute, requests, errors, timeouts, latency)
				VALUES (?, 1, ?, ?, ?, 0, ?::jsonb)""")
			.params(deployment, Timestamp.from(minute), requests, errors, latency)
			.update();
		this.jdbc.sql("""
				INSERT INTO outcome_rollup_state (id, rolled_up_to) VALUES (1, now())
				ON CONFLICT (id) DO UPDATE SET rolled_up_to = greatest(outcome_rollup_state.rolled_up_to, now())""")
			.update();
	}

	private void deploy(String name, String spec) {
		Response response = this.api.send(this.api.request("/api/v1/deployments/" + name)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(spec)));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
	}

}
