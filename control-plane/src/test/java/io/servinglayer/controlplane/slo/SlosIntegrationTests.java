package io.servinglayer.controlplane.slo;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.Promtool;
import io.servinglayer.testsupport.TestModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@ControlPlaneIntegrationTest
class SlosIntegrationTests {

	private static final String AVAILABILITY = """
			{"name": "availability", "sli": "availability", "objective": 0.999, "window": "28d"}""";

	private static final String LATENCY = """
			{"name": "p99", "sli": "latency", "objective": 0.99, "window": "7d", "thresholdMs": 500}""";

	private static final String FRESHNESS = """
			{"name": "fresh", "sli": "freshness", "objective": 0.99, "window": "1d", "maxAgeSeconds": 300}""";

	private static final String HUMANIZED_VALUE = "{{ $value | humanizePercentage }}";

	private static boolean registered;

	@Autowired
	AdminApi api;

	@Autowired
	JdbcClient jdbc;

	/**
	 * Model {@code fraud}: version 1 reads no feature view, version 2 is bound to
	 * {@code card_features}.
	 */
	@BeforeEach
	void registerFraudWithAVersionWithoutAndOneWithAFeatureView() throws Exception {
		if (registered) {
			return;
		}
		assertThat(this.api.postJson("/api/v1/feature-views",
				"""
						{"name": "card_features", "version": 1, "entityKeys": ["card_id"], "maxAgeSeconds": 600,
						 "features": [{"name": "account_age_days", "dtype": "FP32"}, {"name": "txn_count_24h", "dtype": "FP32"}]}""")
			.status()).isEqualTo(201);
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"fraud\"}").status()).isEqualTo(201);
		byte[] model = Files.readAllBytes(TestModels.fraudClassifier());
		assertThat(this.api.upload("fraud", model, null).status()).isEqualTo(201);
		assertThat(this.api.upload("fraud", model, """
				{"featureBinding": {"featureView": {"name": "card_features", "version": 1},
				 "requestFeatures": [{"name": "amount", "dtype": "FP32"}],
				 "inputs": {"input": ["account_age_days", "amount", "txn_count_24h"]}}}""").status()).isEqualTo(201);
		registered = true;
	}

	@Test
	void createsSlosWithoutIfMatchAndAnswersThemWithTheirETag() {
		deploy("created", 2);

		Response created = put("created", objectives(AVAILABILITY, LATENCY, FRESHNESS));

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.header("ETag")).isEqualTo("\"1\"");
		assertThat(created.header("Location")).endsWith("/api/v1/deployments/created/slos");
		JsonNode body = created.json();
		assertThat(body.path("deployment").asString()).isEqualTo("created");
		assertThat(body.path("revision").asLong()).isEqualTo(1);
		assertThat(body.path("updatedBy").asString()).isEqualTo(ControlPlaneIntegrationTest.ADMIN_CLIENT);
		assertThat(body.path("objectives").size()).isEqualTo(3);
		Response read = this.api.get("/api/v1/deployments/created/slos");
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.header("ETag")).isEqualTo("\"1\"");
		JsonNode latency = read.json().path("objectives").get(1);
		assertThat(latency.path("name").asString()).isEqualTo("p99");
		assertThat(latency.path("objective").asDouble()).isEqualTo(0.99);
		assertThat(latency.path("thresholdMs").asInt()).isEqualTo(500);
		assertThat(latency.has("maxAgeSeconds")).as("a field of another SLI is left out").isFalse();
		assertThat(read.json().path("objectives").get(2).path("maxAgeSeconds").asInt()).isEqualTo(300);
	}

	@Test
	void replacingNeedsTheCurrentETagAndAStaleOneGets412() {
		deploy("replaced", 1);
		String etag = put("replaced", objectives(AVAILABILITY)).header("ETag");

		Response withoutIfMatch = put("replaced", objectives(LATENCY));
		Response replaced = put("replaced", objectives(LATENCY), "If-Match", etag);
		Response stale = put("replaced", objectives(AVAILABILITY), "If-Match", etag);

		assertThat(withoutIfMatch.status()).as(withoutIfMatch.toString()).isEqualTo(428);
		assertThat(withoutIfMatch.problemType()).isEqualTo("if-match-required");
		assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
		assertThat(replaced.header("ETag")).isEqualTo("\"2\"");
		assertThat(stale.status()).isEqualTo(412);
		assertThat(stale.header("Content-Type")).startsWith("application/problem+json");
		assertThat(stale.problemType()).isEqualTo("stale-etag");
		JsonNode current = this.api.get("/api/v1/deployments/replaced/slos").json().path("objectives");
		assertThat(current.size()).isEqualTo(1);
		assertThat(current.get(0).path("name").asString()).isEqualTo("p99");
		assertThat(history("replaced")).isEqualTo(2);
	}

	@Test
	void anIfMatchOnSlosThatDoNotExistYetIsStale() {
		deploy("unborn", 1);

		Response response = put("unborn", objectives(AVAILABILITY), "If-Match", "\"1\"");

		assertThat(response.status()).as(response.toString()).isEqualTo(412);
		assertThat(this.api.get("/api/v1/deployments/unborn/slos").status()).isEqualTo(404);
	}

	@Test
	void puttingTheSameObjectivesAgainChangesNothing() {
		deploy("steady-state", 1);
		String etag = put("steady-state", objectives(AVAILABILITY, LATENCY)).header("ETag");

		Response again = put("steady-state", objectives(AVAILABILITY, LATENCY), "If-Match", etag);

		assertThat(again.status()).as(again.toString()).isEqualTo(200);
		assertThat(again.header("ETag")).isEqualTo(etag);
		assertThat(audited("steady-state")).extracting((event) -> event.path("action").asString())
			.containsExactly("slo.created");
		assertThat(history("steady-state")).isEqualTo(1);
	}

	@Test
	void changesAreAuditedWithTheirStateBeforeAndAfter() {
		deploy("audited", 1);
		String etag = put("audited", objectives(AVAILABILITY)).header("ETag");
		put("audited", objectives(AVAILABILITY.replace("0.999", "0.995")), "If-Match", etag);

		List<JsonNode> events = audited("audited");

		assertThat(events).extracting((event) -> event.path("action").asString())
			.containsExactly("slo.updated", "slo.created");
		JsonNode updated = events.get(0);
		assertThat(updated.path("targetType").asString()).isEqualTo("slo");
		assertThat(updated.path("actor").asString()).isEqualTo(ControlPlaneIntegrationTest.ADMIN_CLIENT);
		assertThat(updated.path("before").path("objectives").get(0).path("objective").asDouble()).isEqualTo(0.999);
		assertThat(updated.path("after").path("objectives").get(0).path("objective").asDouble()).isEqualTo(0.995);
		assertThat(updated.path("after").path("revision").asLong()).isEqualTo(2);
		JsonNode created = events.get(1);
		assertThat(created.path("before").isNull() || created.path("before").isMissingNode()).isTrue();
		assertThat(created.path("after").path("revision").asLong()).isEqualTo(1);
	}

	@Test
	void anUnknownDeploymentIs404AndADeploymentWithoutSlosToo() {
		Response put = put("ghost", objectives(AVAILABILITY));
		Response get = this.api.get("/api/v1/deployments/ghost/slos");
		deploy("bare", 1);
		Response bare = this.api.get("/api/v1/deployments/bare/slos");

		assertThat(put.status()).as(put.toString()).isEqualTo(404);
		assertThat(put.header("Content-Type")).startsWith("application/problem+json");
		assertThat(put.problemType()).isEqualTo("deployment-not-found");
		assertThat(get.status()).isEqualTo(404);
		assertThat(get.problemType()).isEqualTo("deployment-not-found");
		assertThat(bare.status()).isEqualTo(404);
		assertThat(bare.problemType()).isEqualTo("slos-not-found");
	}

	@Test
	void theHistoryGivesTheBudgetLeftAtEvenlySpacedMomentsEachOverTheWindowEndingThere() {
		deploy("budgeted", 1);
		assertThat(put("budgeted", objectives("""
				{"name": "availability", "sli": "availability", "objective": 0.99, "window": "1d"}""")).status())
			.isEqualTo(201);
		// What the leader's roll-up would have written: 1000 calls three hours ago, 5 of
		// them failed, half the 1 % the objective allows.
		Instant threeHoursAgo = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MINUTES);
		this.jdbc.sql("""
				INSERT INTO outcome_minute (deployment, version, minute, requests, errors, timeouts, latency)
				VALUES ('budgeted', 1, ?, 1000, 5, 0, '{}'::jsonb)""")
			.param(java.sql.Timestamp.from(threeHoursAgo))
			.update();
		this.jdbc.sql("""
				INSERT INTO outcome_rollup_state (id, rolled_up_to) VALUES (1, now())
				ON CONFLICT (id) DO UPDATE SET rolled_up_to = greatest(outcome_rollup_state.rolled_up_to, now())""")
			.update();

		Response history = this.api.get("/api/v1/deployments/budgeted/slo-status/history?points=5");

		assertThat(history.status()).as(history.toString()).isEqualTo(200);
		JsonNode objective = history.json().path("objectives").get(0);
		assertThat(objective.path("name").asString()).isEqualTo("availability");
		JsonNode points = objective.path("versions").get(0).path("points");
		assertThat(objective.path("versions").get(0).path("role").asString()).isEqualTo("stable");
		assertThat(points.size()).isEqualTo(5);
		// Windows ending 24, 18, 12 and 6 hours ago hold nothing; the last holds the
		// calls.
		for (int i = 0; i < 4; i++) {
			assertThat(points.get(i).path("requests").asLong()).as("point %d", i).isZero();
			assertThat(points.get(i).path("errorBudgetRemaining").isNull()).as("point %d", i).isTrue();
		}
		assertThat(points.get(4).path("requests").asLong()).isEqualTo(1000);
		assertThat(points.get(4).path("errorBudgetRemaining").asDouble()).isCloseTo(0.5, within(1e-9));
		assertThat(Duration.between(Instant.parse(points.get(0).path("at").asString()),
				Instant.parse(points.get(4).path("at").asString())))
			.isEqualTo(Duration.ofDays(1));

		for (String bad : new String[] { "1", "101", "many" }) {
			Response refused = this.api.get("/api/v1/deployments/budgeted/slo-status/history?points=" + bad);
			assertThat(refused.status()).as(bad).isEqualTo(400);
			assertThat(refused.problemType()).isEqualTo("invalid-parameter");
		}
		assertThat(this.api.get("/api/v1/deployments/ghost/slo-status/history").status()).isEqualTo(404);
	}

	static Stream<Arguments> invalidObjectives() {
		return Stream.of(Arguments.of("no objectives list", "{}", "objectives"),
				Arguments.of("an empty list", objectives(), "objectives"),
				Arguments.of("21 objectives", objectives(IntStream.range(0, 21)
					.mapToObj((i) -> AVAILABILITY.replace("\"name\": \"availability\"", "\"name\": \"a" + i + "\""))
					.toArray(String[]::new)), "objectives"),
				Arguments.of("a null objective", objectives("null"), "objectives[0]"),
				Arguments.of("no name", objectives(AVAILABILITY.replace("\"name\": \"availability\", ", "")),
						"objectives[0].name"),
				Arguments.of("an upper-case name",
						objectives(AVAILABILITY.replace("\"name\": \"availability\"", "\"name\": \"Avail\"")),
						"objectives[0].name"),
				Arguments.of("a name ending in '-'",
						objectives(AVAILABILITY.replace("\"name\": \"availability\"", "\"name\": \"avail-\"")),
						"objectives[0].name"),
				Arguments.of("a name of 64 characters",
						objectives(AVAILABILITY.replace("\"name\": \"availability\"",
								"\"name\": \"" + "a".repeat(64) + "\"")),
						"objectives[0].name"),
				Arguments.of("a name twice", objectives(AVAILABILITY, LATENCY.replace("\"p99\"", "\"availability\"")),
						"objectives[1].name"),
				Arguments.of("no sli", objectives(AVAILABILITY.replace("\"sli\": \"availability\", ", "")),
						"objectives[0].sli"),
				Arguments.of("an unknown sli",
						objectives(AVAILABILITY.replace("\"sli\": \"availability\"", "\"sli\": \"errors\"")),
						"objectives[0].sli"),
				Arguments.of("no objective", objectives(AVAILABILITY.replace("\"objective\": 0.999, ", "")),
						"objectives[0].objective"),
				Arguments.of("an objective of 1", objectives(AVAILABILITY.replace("0.999", "1")),
						"objectives[0].objective"),
				Arguments.of("an objective of 0", objectives(AVAILABILITY.replace("0.999", "0")),
						"objectives[0].objective"),
				Arguments.of("an objective below 0.5", objectives(AVAILABILITY.replace("0.999", "0.49")),
						"objectives[0].objective"),
				Arguments.of("no window", objectives(AVAILABILITY.replace(", \"window\": \"28d\"", "")),
						"objectives[0].window"),
				Arguments.of("a window of 0 days", objectives(AVAILABILITY.replace("28d", "0d")),
						"objectives[0].window"),
				Arguments.of("a window of 91 days", objectives(AVAILABILITY.replace("28d", "91d")),
						"objectives[0].window"),
				Arguments.of("a window of 2161 hours", objectives(AVAILABILITY.replace("28d", "2161h")),
						"objectives[0].window"),
				Arguments.of("a window in weeks", objectives(AVAILABILITY.replace("28d", "4w")),
						"objectives[0].window"),
				Arguments.of("a window without a unit", objectives(AVAILABILITY.replace("28d", "28")),
						"objectives[0].window"),
				Arguments.of("a bad window in the second objective",
						objectives(AVAILABILITY, LATENCY.replace("7d", "7m")), "objectives[1].window"),
				Arguments.of("latency without thresholdMs", objectives(LATENCY.replace(", \"thresholdMs\": 500", "")),
						"objectives[0].thresholdMs"),
				Arguments.of("latency between histogram bounds", objectives(LATENCY.replace("500", "300")),
						"objectives[0].thresholdMs"),
				Arguments.of("latency with maxAgeSeconds",
						objectives(LATENCY.replace("}", ", \"maxAgeSeconds\": 300}")), "objectives[0].maxAgeSeconds"),
				Arguments.of("availability with thresholdMs",
						objectives(AVAILABILITY.replace("}", ", \"thresholdMs\": 500}")), "objectives[0].thresholdMs"),
				Arguments.of("availability with maxAgeSeconds",
						objectives(AVAILABILITY.replace("}", ", \"maxAgeSeconds\": 300}")),
						"objectives[0].maxAgeSeconds"),
				Arguments.of("freshness without maxAgeSeconds",
						objectives(FRESHNESS.replace(", \"maxAgeSeconds\": 300", "")), "objectives[0].maxAgeSeconds"),
				Arguments.of("freshness between histogram bounds", objectives(FRESHNESS.replace("300", "120")),
						"objectives[0].maxAgeSeconds"),
				Arguments.of("freshness with thresholdMs",
						objectives(FRESHNESS.replace("}", ", \"thresholdMs\": 500}")), "objectives[0].thresholdMs"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidObjectives")
	void rejectsInvalidObjectivesNamingTheFieldAndChangingNothing(String description, String body, String field) {
		deploy("checked", 2);

		Response response = put("checked", body);

		assertThat(response.status()).as(response.toString()).isEqualTo(422);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.problemType()).isEqualTo("invalid-request");
		assertThat(fields(response)).contains(field);
		assertThat(this.api.get("/api/v1/deployments/checked/slos").problemType()).isEqualTo("slos-not-found");
	}

	@Test
	void freshnessNeedsAStableVersionThatReadsAFeatureView() {
		deploy("featureless", 1);

		Response response = put("featureless", objectives(FRESHNESS));

		assertThat(response.status()).as(response.toString()).isEqualTo(422);
		assertThat(fields(response)).containsExactly("objectives[0].sli");
		assertThat(response.json().path("detail").asString()).contains("version 1 of model 'fraud'")
			.contains("no feature view");
	}

	static Stream<Arguments> malformedObjectives() {
		return Stream.of(
				Arguments.of("an objective that is text", objectives(AVAILABILITY.replace("0.999", "\"high\"")),
						"objectives[0].objective"),
				Arguments.of("thresholdMs as text", objectives(LATENCY.replace("500", "\"500\"")),
						"objectives[0].thresholdMs"),
				Arguments.of("an unknown field", objectives(AVAILABILITY.replace("}", ", \"target\": 0.99}")),
						"objectives[0].target"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedObjectives")
	void aBodyThatDoesNotReadIsABadRequestNamingTheField(String description, String body, String field) {
		deploy("malformed", 1);

		Response response = put("malformed", body);

		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(fields(response)).containsExactly(field);
	}

	@Test
	void onlyDeployAndAdminScopesSetSlos() {
		deploy("guarded", 1);
		String secret = this.api
			.postJson("/api/v1/clients",
					"{\"clientId\":\"slo-reader\",\"scopes\":[\"registry:write\"],\"tenant\":\"t\"}")
			.json()
			.path("clientSecret")
			.asString();
		AdminApi writer = this.api.as(this.api.token("slo-reader", secret));

		Response refused = writer.send(writer.request("/api/v1/deployments/guarded/slos")
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(objectives(AVAILABILITY))));

		assertThat(refused.status()).isEqualTo(403);
		assertThat(writer.get("/api/v1/deployments/guarded/slos").status()).isEqualTo(404);
		assertThat(writer.get("/api/v1/slos/prometheus-rules").status()).isEqualTo(200);
	}

	@Test
	void theOpenApiDocumentDescribesTheSloRoutes() {
		JsonNode paths = this.api.get("/v3/api-docs").json().path("paths");

		assertThat(paths.path("/api/v1/deployments/{name}/slos").has("put")).isTrue();
		assertThat(paths.path("/api/v1/deployments/{name}/slos").has("get")).isTrue();
		assertThat(paths.path("/api/v1/slos/prometheus-rules")
			.path("get")
			.path("responses")
			.path("200")
			.path("content")
			.has("application/yaml")).isTrue();
	}

	/**
	 * Loads the rules into promtool with synthetic series at 1 m resolution over 2 h (one
	 * over 24 h), and checks which alerts fire. Budgets: 0.999 leaves 0.1 % errors, 0.99
	 * leaves 1 %.
	 */
	@Test
	void theRulesPassPromtoolAndPageOnlyWhenTheBudgetBurnsFast(@TempDir Path folder) throws Exception {
		deploy("burning", 1);
		deploy("steady", 1);
		deploy("flaky", 1);
		deploy("slow", 1);
		deploy("stale", 2);
		assertThat(put("burning", objectives(AVAILABILITY, LATENCY.replace("500", "200"))).status()).isEqualTo(201);
		assertThat(put("steady", objectives(AVAILABILITY)).status()).isEqualTo(201);
		assertThat(put("flaky", objectives(AVAILABILITY)).status()).isEqualTo(201);
		assertThat(put("slow", objectives(LATENCY.replace("500", "200").replace("7d", "28d"))).status()).isEqualTo(201);
		assertThat(put("stale", objectives(FRESHNESS.replace("1d", "28d"))).status()).isEqualTo(201);

		Response rules = this.api.get("/api/v1/slos/prometheus-rules");

		assertThat(rules.status()).as(rules.toString()).isEqualTo(200);
		assertThat(rules.header("Content-Type")).startsWith("application/yaml");
		Path rulesFile = Files.writeString(folder.resolve("rules.yaml"), rules.body());
		Promtool.Result check = Promtool.run(folder, "check", "rules", rulesFile.toString());
		assertThat(check.exitCode()).as(check.output()).isZero();
		assertThat(check.output()).contains("SUCCESS");

		Map<String, Object> alerts = alertsByKey(new Yaml().load(rules.body()));
		List<Object> tests = new ArrayList<>();
		// 1.5 % of answered requests fail (15 x the budget): timeouts count, client
		// errors
		// are good, and requests whose client went away count in neither part (with
		// them in the total the ratio would be 1.36 %, under the page's 1.44 %). Every
		// answer but the timeouts is fast.
		tests.add(test(
				List.of(requests("burning", "success", 935), requests("burning", "client_error", 50),
						requests("burning", "server_error", 10), requests("burning", "timeout", 5),
						requests("burning", "client_closed", 100), fast("burning", "success", 935),
						fast("burning", "client_error", 50), fast("burning", "server_error", 10),
						fast("burning", "client_closed", 100)),
				List.of(expected(alerts, "page", "burning", "availability", "1.5%"),
						expected(alerts, "ticket", "burning", "availability", "1.5%"))));
		// A day without errors, then 10 % for the last 10 minutes: 1.67 % over the last
		// hour and 10 % over 5 minutes pages at once (14.4 x), though over 6 hours (0.28
		// %)
		// and longer the budget is hardly touched.
		tests.add(test("24h", List.of(
				series("gateway_model_requests_seconds_count{model=\"flaky\",version=\"1\",outcome=\"success\"}",
						"0+1000x1430 1430900+900x9"),
				series("gateway_model_requests_seconds_count{model=\"flaky\",version=\"1\",outcome=\"server_error\"}",
						"0x1430 100+100x9")),
				List.of(expected(alerts, "page", "flaky", "availability", "1.667%"))));
		// 0.1 % errors: the budget is spent exactly over the window, nothing to alert on.
		tests.add(test(List.of(requests("steady", "success", 999), requests("steady", "server_error", 1)), List.of()));
		// 5 % slower than 200 ms against 1 %: 5 x, a ticket but no page (6 x).
		tests.add(test(List.of(requests("slow", "success", 1000), fast("slow", "success", 950)),
				List.of(expected(alerts, "ticket", "slow", "p99", "5%"))));
		// 2 % of feature rows older than 300 s against 1 %: 2 x, a ticket from the 3d
		// and 6h windows only.
		tests.add(test(
				List.of(series("features_freshness_seconds_count{model=\"stale\",model_version=\"2\"}", 100), series(
						"features_freshness_seconds_bucket{model=\"stale\",model_version=\"2\",le=\"300.0\"}", 98)),
				List.of(expected(alerts, "ticket", "stale", "fresh", "2%"))));
		Map<String, Object> unitTests = new LinkedHashMap<>();
		unitTests.put("rule_files", List.of(rulesFile.getFileName().toString()));
		unitTests.put("evaluation_interval", "5m");
		unitTests.put("tests", tests);
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		Path testFile = Files.writeString(folder.resolve("rules-test.yaml"), new Yaml(options).dump(unitTests));

		Promtool.Result test = Promtool.run(folder, "test", "rules", testFile.toString());

		assertThat(test.exitCode()).as(test.output() + "\n" + Files.readString(testFile)).isZero();
		assertThat(test.output()).contains("SUCCESS");
	}

	/** Every alert rule by severity, deployment and objective. */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> alertsByKey(Map<String, Object> file) {
		Map<String, Object> alerts = new LinkedHashMap<>();
		for (Object group : (List<Object>) file.get("groups")) {
			for (Object rule : (List<Object>) ((Map<String, Object>) group).get("rules")) {
				Map<String, Object> fields = (Map<String, Object>) rule;
				if (fields.containsKey("alert")) {
					Map<String, String> labels = (Map<String, String>) fields.get("labels");
					alerts.put(labels.get("severity") + "/" + labels.get("deployment") + "/" + labels.get("slo"),
							fields);
				}
			}
		}
		return alerts;
	}

	/**
	 * The alert as promtool should see it fire: its labels, and its annotations with
	 * {@code $value} rendered as {@code value}.
	 */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> expected(Map<String, Object> alerts, String severity, String deployment,
			String slo, String value) {
		Map<String, Object> alert = (Map<String, Object>) alerts.get(severity + "/" + deployment + "/" + slo);
		assertThat(alert).as("alert %s/%s/%s", severity, deployment, slo).isNotNull();
		Map<String, String> annotations = new LinkedHashMap<>();
		((Map<String, String>) alert.get("annotations"))
			.forEach((name, text) -> annotations.put(name, text.replace(HUMANIZED_VALUE, value)));
		assertThat(annotations.get("description")).contains(value);
		Map<String, Object> expected = new LinkedHashMap<>();
		expected.put("exp_labels", Map.of("severity", severity, "deployment", deployment, "slo", slo));
		expected.put("exp_annotations", annotations);
		return expected;
	}

	private static Map<String, Object> test(List<Map<String, String>> series, List<Map<String, Object>> alerts) {
		return test("2h", series, alerts);
	}

	private static Map<String, Object> test(String evalTime, List<Map<String, String>> series,
			List<Map<String, Object>> alerts) {
		Map<String, Object> check = new LinkedHashMap<>();
		check.put("eval_time", evalTime);
		check.put("alertname", PrometheusRules.ALERT);
		check.put("exp_alerts", alerts);
		Map<String, Object> test = new LinkedHashMap<>();
		test.put("interval", "1m");
		test.put("input_series", series);
		test.put("alert_rule_test", List.of(check));
		return test;
	}

	/** The gateway's request count of one outcome, growing by {@code perMinute}. */
	private static Map<String, String> requests(String deployment, String outcome, int perMinute) {
		return series("gateway_model_requests_seconds_count{model=\"" + deployment + "\",version=\"1\",outcome=\""
				+ outcome + "\"}", perMinute);
	}

	/** The gateway's requests of one outcome answered within 200 ms. */
	private static Map<String, String> fast(String deployment, String outcome, int perMinute) {
		return series("gateway_model_requests_seconds_bucket{model=\"" + deployment + "\",version=\"1\",outcome=\""
				+ outcome + "\",le=\"0.2\"}", perMinute);
	}

	/** A counter growing by {@code perMinute} for two hours. */
	private static Map<String, String> series(String series, int perMinute) {
		return series(series, "0+" + perMinute + "x120");
	}

	/** A series with values in promtool's expanding notation, one a minute. */
	private static Map<String, String> series(String series, String values) {
		return Map.of("series", series, "values", values);
	}

	private static String objectives(String... objectives) {
		return "{\"objectives\": [" + String.join(", ", objectives) + "]}";
	}

	private static List<String> fields(Response response) {
		List<String> fields = new ArrayList<>();
		response.json().path("errors").forEach((error) -> fields.add(error.path("field").asString()));
		return fields;
	}

	private List<JsonNode> audited(String deployment) {
		List<JsonNode> events = new ArrayList<>();
		this.api.get("/api/v1/audit?targetType=slo&target=" + deployment).json().path("items").forEach(events::add);
		return events;
	}

	private long history(String deployment) {
		return this.jdbc.sql("SELECT count(*) FROM slo_history WHERE deployment = ?")
			.param(deployment)
			.query(Long.class)
			.single();
	}

	/**
	 * Creates the deployment serving {@code version} of {@code fraud}, unless it exists.
	 */
	private void deploy(String name, int version) {
		if (this.api.get("/api/v1/deployments/" + name).status() == 200) {
			return;
		}
		Response response = this.api.send(this.api.request("/api/v1/deployments/" + name)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"model\": \"fraud\", \"stableVersion\": " + version + "}")));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
	}

	private Response put(String deployment, String body, String... headers) {
		return this.api.send(this.api.request("/api/v1/deployments/" + deployment + "/slos", headers)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(body)));
	}

}
