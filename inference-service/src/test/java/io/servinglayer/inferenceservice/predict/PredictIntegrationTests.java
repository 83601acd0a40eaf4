package io.servinglayer.inferenceservice.predict;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import ai.onnx.proto.OnnxMl;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.inferenceservice.InstanceCalls;
import io.servinglayer.samplemodels.IdentityModel;
import io.servinglayer.testsupport.ControlPlaneProcess;
import io.servinglayer.testsupport.TcpLink;
import io.servinglayer.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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
 * {@code :predict} on a real instance, against the real control plane and Redis: entity
 * keys are looked up in the online store the control plane loaded, request features come
 * with the call, and each view's missing and stale policies decide what an absent or old
 * row does. Redis sits behind a link the test can slow down or cut.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"servinglayer.inference.features.store-timeout=3s", "servinglayer.inference.features.cache-ttl=2m" })
class PredictIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String INSTANCE_SECRET = "inference-secret-0123456789";

	private static final Instant NOW = Instant.now();

	private static final Instant TWO_HOURS_AGO = NOW.minus(Duration.ofHours(2));

	private static ControlPlaneProcess controlPlane;

	private static TcpLink redisLink;

	@Autowired
	Environment environment;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void followTheControlPlane(DynamicPropertyRegistry registry) throws Exception {
		Path models = Files.createTempDirectory("predict-models");
		Path identity = IdentityModel.write(models.resolve("identity.onnx"), OnnxMl.TensorProto.DataType.FLOAT_VALUE,
				3);
		controlPlane = ControlPlaneProcess.start("inference-predict", INSTANCE_SECRET);
		// Three views with the same features and different policies, each bound to a
		// model that echoes its input, so an answer shows exactly what was filled in.
		view("accounts", 3600, "reject", "serve-stale");
		view("lenient", 3600, "defaults", "defaults");
		view("strict", 3600, "reject", "reject");
		for (String model : List.of("accounts", "lenient", "strict")) {
			assertThat(controlPlane.sendJson("POST", "/api/v1/models", "{\"name\":\"" + model + "\"}").statusCode())
				.isEqualTo(201);
			HttpResponse<String> uploaded = controlPlane.upload(model, Files.readAllBytes(identity), """
					{"featureBinding": {"featureView": {"name": "%s", "version": 1},
					 "requestFeatures": [{"name": "amount", "dtype": "FP32"}],
					 "inputs": {"x": ["age_days", "amount", "txn_count"]}}}""".formatted(model));
			assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
			assertThat(controlPlane
				.sendJson("PUT", "/api/v1/deployments/" + model,
						"""
								{"model": "%s", "stableVersion": 1, "batching": {"maxBatchSize": 8, "maxQueueDelayMicros": 500}}"""
							.formatted(model))
				.statusCode()).isEqualTo(201);
		}
		rows("accounts", row("a-1", 12.5, 3, NOW), row("a-old", 700, 40, TWO_HOURS_AGO), row("a-cold", 1, 1, NOW),
				row("a-cached", 2, 2, NOW));
		rows("lenient", row("l-old", 800, 50, TWO_HOURS_AGO));
		rows("strict", row("s-old", 900, 60, TWO_HOURS_AGO));

		redisLink = TcpLink.to(TestRedis.get().host(), TestRedis.get().port());
		registry.add("servinglayer.inference.control-plane", () -> controlPlane.url().toString());
		registry.add("servinglayer.inference.client-id", () -> "inference-predict");
		registry.add("servinglayer.inference.client-secret", () -> INSTANCE_SECRET);
		registry.add("servinglayer.inference.state-directory", () -> models.resolve("state").toString());
		registry.add("servinglayer.inference.redis-uri", () -> "redis://127.0.0.1:" + redisLink.port());
		registry.add("servinglayer.inference.routing-channel", () -> controlPlane.redisPrefix() + "routing");
		registry.add("servinglayer.inference.announcement.key-prefix", controlPlane::redisPrefix);
		registry.add("servinglayer.inference.features.key-prefix", controlPlane::redisPrefix);
	}

	private static void view(String name, long maxAgeSeconds, String onMissing, String onStale) {
		HttpResponse<String> created = controlPlane.sendJson("POST", "/api/v1/feature-views", """
				{"name": "%s", "version": 1, "entityKeys": ["account_id"], "maxAgeSeconds": %d,
				 "onMissing": "%s", "onStale": "%s",
				 "features": [{"name": "age_days", "dtype": "FP32", "defaultValue": -1},
				              {"name": "txn_count", "dtype": "FP32", "defaultValue": -2}]}""".formatted(name,
				maxAgeSeconds, onMissing, onStale));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
	}

	private static String row(String account, double ageDays, double txnCount, Instant eventTime) {
		return "{\"account_id\": \"%s\", \"age_days\": %s, \"txn_count\": %s, \"event_time\": \"%s\"}"
			.formatted(account, ageDays, txnCount, eventTime);
	}

	private static void rows(String view, String... rows) {
		HttpResponse<String> written = controlPlane.send("POST", "/api/v1/feature-views/" + view + "/versions/1/rows",
				"application/x-ndjson", String.join("\n", rows).getBytes(StandardCharsets.UTF_8));
		assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
	}

	@AfterAll
	static void stop() {
		redisLink.close();
	}

	@BeforeEach
	void awaitReady() {
		redisLink.delay(Duration.ZERO);
		redisLink.restore();
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> get("/actuator/health/readiness").statusCode() == 200);
	}

	@Test
	void fillsEachInputFromTheOnlineRowAndTheRequestInTheBoundOrder() throws Exception {
		HttpResponse<String> answer = predict("accounts", """
				{"instances": [{"account_id": "a-1", "amount": 129.5}, {"account_id": "a-old", "amount": 5}]}""");

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(answer.headers().firstValue("X-Model-Version")).hasValue("1");
		JsonNode body = json.readTree(answer.body());
		assertThat(body.path("model_name").asString()).isEqualTo("accounts");
		assertThat(body.path("predictions").get(0).path("y").toString()).isEqualTo("[12.5,129.5,3.0]");
		assertThat(body.path("predictions").get(1).path("y").toString()).isEqualTo("[700.0,5.0,40.0]");
		assertThat(body.path("features").get(0).path("status").asString()).isEqualTo("fresh");
		assertThat(body.path("features").get(1).path("status").asString()).isEqualTo("stale");
		assertThat(body.path("features").get(1).path("ageSeconds").asDouble()).isGreaterThan(7000);

		HttpResponse<String> pinned = post("/v1/models/accounts/versions/1:predict",
				"{\"instances\": [{\"account_id\": \"a-1\", \"amount\": 1}]}");
		assertThat(pinned.statusCode()).as(pinned.body()).isEqualTo(200);
		assertThat(json.readTree(pinned.body()).path("predictions").get(0).path("y").toString())
			.isEqualTo("[12.5,1.0,3.0]");

		String metrics = get("/actuator/prometheus").body();
		assertThat(metrics).contains("features_freshness_seconds_bucket{")
			.contains("features_cache_lookups_total{model=\"accounts\",model_version=\"1\",result=\"hit\"}")
			.contains("inference_features_fetch_seconds_bucket{");
	}

	@Test
	void refusesAMissingRowWhenTheViewSaysRejectAndNamesTheInstance() throws Exception {
		HttpResponse<String> answer = predict("accounts", """
				{"instances": [{"account_id": "a-1", "amount": 1}, {"account_id": "nobody", "amount": 1}]}""");

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
		assertThat(answer.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = json.readTree(answer.body());
		assertThat(problem.path("type").asString()).endsWith("/feature-row-missing");
		assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("instances[1]");
		assertThat(problem.path("error").asString()).contains("nobody");
	}

	@Test
	void fillsDefaultsForMissingAndStaleRowsWhenTheViewSaysSo() throws Exception {
		HttpResponse<String> answer = predict("lenient", """
				{"instances": [{"account_id": "nobody", "amount": 7}, {"account_id": "l-old", "amount": 8}]}""");

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		JsonNode body = json.readTree(answer.body());
		assertThat(body.path("predictions").get(0).path("y").toString()).isEqualTo("[-1.0,7.0,-2.0]");
		assertThat(body.path("predictions").get(1).path("y").toString()).isEqualTo("[-1.0,8.0,-2.0]");
		assertThat(body.path("features").get(0).path("status").asString()).isEqualTo("defaults");
		assertThat(body.path("features").get(0).path("reason").asString()).isEqualTo("missing");
		assertThat(body.path("features").get(1).path("reason").asString()).isEqualTo("stale");
	}

	@Test
	void refusesAStaleRowWhenTheViewSaysReject() throws Exception {
		HttpResponse<String> answer = predict("strict",
				"{\"instances\": [{\"account_id\": \"s-old\", \"amount\": 1}]}");

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
		assertThat(json.readTree(answer.body()).path("type").asString()).endsWith("/feature-row-stale");
		assertThat(json.readTree(answer.body()).path("error").asString()).contains("s-old").contains("3600 s");
	}

	static Stream<Arguments> malformedRequests() {
		return Stream.of(Arguments.of("a body of JSON null", "null", "body"),
				Arguments.of("a body that is an array", "[]", "body"),
				Arguments.of("a request feature past FP32's finite range",
						"{\"instances\": [{\"account_id\": \"a-1\", \"amount\": 1e39}]}", "instances[0].amount"),
				Arguments.of("no instances", "{}", "instances"),
				Arguments.of("empty instances", "{\"instances\": []}", "instances"),
				Arguments.of("an instance that is not an object", "{\"instances\": [3]}", "instances[0]"),
				Arguments.of("a member other than instances", "{\"instances\": [{}], \"inputs\": []}", "inputs"),
				Arguments.of("no entity key", "{\"instances\": [{\"amount\": 1}]}", "instances[0].account_id"),
				Arguments.of("an entity key that is an object",
						"{\"instances\": [{\"account_id\": {}, \"amount\": 1}]}", "instances[0].account_id"),
				Arguments.of("no request feature", "{\"instances\": [{\"account_id\": \"a-1\"}]}",
						"instances[0].amount"),
				Arguments.of("a request feature of the wrong type",
						"{\"instances\": [{\"account_id\": \"a-1\", \"amount\": \"lots\"}]}", "instances[0].amount"),
				Arguments.of("an unknown feature",
						"{\"instances\": [{\"account_id\": \"a-1\", \"amount\": 1, \"colour\": \"red\"}]}",
						"instances[0].colour"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedRequests")
	void rejectsAMalformedRequestNamingTheField(String description, String body, String field) throws Exception {
		HttpResponse<String> answer = predict("accounts", body);

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
		assertThat(json.readTree(answer.body()).path("field").asString()).isEqualTo(field);
	}

	@Test
	void concurrentMissesForOneEntityMakeOneReadOfTheStore() throws Exception {
		// A slow link keeps the first read in flight while the others arrive.
		redisLink.delay(Duration.ofMillis(400));
		double readsBefore = this.meters.counter("features.store.reads").count();
		int callers = 12;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		try {
			List<Future<HttpResponse<String>>> answers = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				answers.add(pool.submit(() -> {
					start.await();
					return predict("accounts", "{\"instances\": [{\"account_id\": \"a-cold\", \"amount\": 1}]}");
				}));
			}
			start.countDown();
			for (Future<HttpResponse<String>> answer : answers) {
				assertThat(answer.get().statusCode()).as(answer.get().body()).isEqualTo(200);
			}
		}
		finally {
			pool.shutdownNow();
		}

		assertThat(this.meters.counter("features.store.reads").count() - readsBefore).isEqualTo(1.0);
	}

	@Test
	void withRedisDownCallsWithoutFeaturesSucceedAndCallsWithFeaturesFollowThePolicy() throws Exception {
		assertThat(predict("accounts", "{\"instances\": [{\"account_id\": \"a-cached\", \"amount\": 1}]}").statusCode())
			.isEqualTo(200);

		redisLink.cut();

		HttpResponse<String> tensors = post("/v2/models/accounts/infer",
				"{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}");
		assertThat(tensors.statusCode()).as(tensors.body()).isEqualTo(200);
		HttpResponse<String> refused = predict("accounts",
				"{\"instances\": [{\"account_id\": \"never-read\", \"amount\": 1}]}");
		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		assertThat(json.readTree(refused.body()).path("type").asString()).endsWith("/features-unavailable");
		HttpResponse<String> cached = predict("accounts",
				"{\"instances\": [{\"account_id\": \"a-cached\", \"amount\": 1}]}");
		assertThat(cached.statusCode()).as(cached.body()).isEqualTo(200);
		assertThat(json.readTree(cached.body()).path("predictions").get(0).path("y").toString())
			.isEqualTo("[2.0,1.0,2.0]");
		HttpResponse<String> defaults = predict("lenient",
				"{\"instances\": [{\"account_id\": \"never-read\", \"amount\": 3}]}");
		assertThat(defaults.statusCode()).as(defaults.body()).isEqualTo(200);
		JsonNode body = json.readTree(defaults.body());
		assertThat(body.path("predictions").get(0).path("y").toString()).isEqualTo("[-1.0,3.0,-2.0]");
		assertThat(body.path("features").get(0).path("reason").asString()).isEqualTo("unavailable");

		redisLink.restore();
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> predict("accounts", "{\"instances\": [{\"account_id\": \"a-1\", \"amount\": 1}]}")
				.statusCode() == 200
					&& predict("accounts", "{\"instances\": [{\"account_id\": \"never-read-2\", \"amount\": 1}]}")
						.statusCode() == 422);
	}

	@Test
	void theControlPlaneReportsTheViewsCacheHitsAndRowAgesFromThisInstancesAnnouncement() throws Exception {
		JsonNode before = viewStatus("accounts");

		for (int i = 0; i < 2; i++) {
			HttpResponse<String> answer = predict("accounts",
					"{\"instances\": [{\"account_id\": \"a-1\", \"amount\": 1}]}");
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		}

		long rowsBefore = before.path("readings").path("rowsRead").asLong();
		long lookupsBefore = before.path("readings").path("cacheHits").asLong()
				+ before.path("readings").path("cacheMisses").asLong();
		JsonNode after = await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> viewStatus("accounts"),
					(status) -> status.path("readings").path("rowsRead").asLong() >= rowsBefore + 2);
		JsonNode readings = after.path("readings");
		assertThat(readings.path("cacheHits").asLong() + readings.path("cacheMisses").asLong())
			.isGreaterThanOrEqualTo(lookupsBefore + 2);
		assertThat(readings.path("cacheHitRatio").asDouble()).isBetween(0.0, 1.0);
		// Rows of the earlier tests were up to two hours old; a-1 was written as the
		// class started.
		assertThat(readings.path("meanRowAgeSeconds").asDouble()).isBetween(0.0, 2.5 * 3600);
		assertThat(after.path("instances").size()).isEqualTo(1);
		assertThat(after.path("boundBy").toString())
			.isEqualTo("[{\"model\":\"accounts\",\"modelVersion\":1,\"deployments\":[\"accounts\"]}]");
	}

	/**
	 * Version 1 of the view as the control plane's GET
	 * /api/v1/feature-views/{name}/status answers it.
	 */
	private static JsonNode viewStatus(String view) {
		HttpResponse<String> answer = controlPlane.send("GET", "/api/v1/feature-views/" + view + "/status", null, null);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return json.readTree(answer.body()).path("versions").get(0);
	}

	private HttpResponse<String> predict(String model, String body) throws Exception {
		return post("/v1/models/" + model + ":predict", body);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return InstanceCalls.at(this.environment).get(path);
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return InstanceCalls.at(this.environment).post(path, body);
	}

}
