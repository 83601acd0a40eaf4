package io.servinglayer.inferenceservice.serving;

import io.servinglayer.contracts.InstanceAnnouncement;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ai.onnx.proto.OnnxMl;
import io.servinglayer.inferenceservice.runtime.DataType;
import io.servinglayer.inferenceservice.runtime.LoadedModel;
import io.servinglayer.inferenceservice.runtime.RuntimeSettings;
import io.servinglayer.inferenceservice.runtime.Tensor;
import io.servinglayer.inferenceservice.InstanceCalls;
import io.servinglayer.samplemodels.IdentityModel;
import io.servinglayer.samplemodels.SyntheticClassifier;
import io.servinglayer.testsupport.ControlPlaneProcess;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * An inference instance against the real control plane (its jar, run as a process): it
 * follows the routing snapshot, loads and warms what its pool is assigned, and serves the
 * Open Inference Protocol.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServingIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String INSTANCE_SECRET = "inference-secret-0123456789";

	private static Path models;

	private static ControlPlaneProcess controlPlane;

	@Autowired
	Environment environment;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@DynamicPropertySource
	static void followTheControlPlane(DynamicPropertyRegistry registry) throws Exception {
		models = Files.createTempDirectory("serving-models");
		controlPlane = ControlPlaneProcess.start("inference-1", INSTANCE_SECRET);
		controlPlane.sendJson("POST", "/api/v1/models", "{\"name\":\"fraud\"}");
		assertThat(controlPlane.upload("fraud", Files.readAllBytes(v1())).statusCode()).isEqualTo(201);
		assertThat(controlPlane.upload("fraud", Files.readAllBytes(v2())).statusCode()).isEqualTo(201);
		assertThat(controlPlane.sendJson("PUT", "/api/v1/deployments/fraud", """
				{"model": "fraud", "stableVersion": 1, "canary": {"version": 2, "weightBasisPoints": 0},
				 "batching": {"maxBatchSize": 16, "maxQueueDelayMicros": 1000}}""").statusCode()).isEqualTo(201);
		registry.add("servinglayer.inference.control-plane", () -> controlPlane.url().toString());
		registry.add("servinglayer.inference.client-id", () -> "inference-1");
		registry.add("servinglayer.inference.client-secret", () -> INSTANCE_SECRET);
		registry.add("servinglayer.inference.state-directory", () -> models.resolve("state").toString());
		registry.add("servinglayer.inference.redis-uri",
				() -> "redis://" + io.servinglayer.testsupport.TestRedis.get().host() + ":"
						+ io.servinglayer.testsupport.TestRedis.get().port());
		registry.add("servinglayer.inference.routing-channel", () -> controlPlane.redisPrefix() + "routing");
		registry.add("servinglayer.inference.announcement.key-prefix", controlPlane::redisPrefix);
		registry.add("servinglayer.inference.announcement.instance-id", () -> "instance-a");
	}

	@Test
	void becomesReadyAndServesTheStableVersionAsOrtWould() throws Exception {
		awaitReady();

		HttpResponse<String> metadata = get("/v2/models/fraud");
		assertThat(metadata.statusCode()).isEqualTo(200);
		assertThat(metadata.headers().firstValue("X-Model-Version")).hasValue("1");
		JsonNode input = json.readTree(metadata.body()).path("inputs").get(0);
		assertThat(input.path("name").asString()).isEqualTo("input");
		assertThat(input.path("datatype").asString()).isEqualTo("FP32");
		assertThat(input.path("shape").toString()).isEqualTo("[-1,3]");
		assertThat(get("/v2/models/fraud/ready").statusCode()).isEqualTo(200);
		assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
		assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);

		HttpResponse<String> answer = post("/v2/models/fraud/infer", """
				{"id": "req-1", "inputs": [{"name": "input", "shape": [2, 3], "datatype": "FP32",
				 "data": [[0.5, 1.0, -0.3], [0.1, 0.2, 0.3]]}], "outputs": [{"name": "output"}]}""");
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(answer.headers().firstValue("X-Model-Version")).hasValue("1");
		JsonNode body = json.readTree(answer.body());
		assertThat(body.path("model_name").asString()).isEqualTo("fraud");
		assertThat(body.path("model_version").asString()).isEqualTo("1");
		assertThat(body.path("id").asString()).isEqualTo("req-1");
		assertOutputsMatch(body, v1(), new float[] { 0.5f, 1.0f, -0.3f, 0.1f, 0.2f, 0.3f });
		String metrics = get("/actuator/prometheus").body();
		assertThat(metrics)
			.contains("inference_requests_seconds_count{model=\"fraud\",model_version=\"1\",outcome=\"SUCCESS\"}")
			.as("model calls are timed once, by model and version, not again as generic HTTP requests")
			.doesNotContain("uri=\"/v2/models/{model}/infer\"")
			.contains("uri=\"/v2/models/{model}\"");

		io.lettuce.core.RedisClient redis = io.lettuce.core.RedisClient
			.create("redis://" + io.servinglayer.testsupport.TestRedis.get().host() + ":"
					+ io.servinglayer.testsupport.TestRedis.get().port());
		try (var connection = redis.connect()) {
			String key = InstanceAnnouncement.key(controlPlane.redisPrefix(), "default", "instance-a");
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				String announced = connection.sync().get(key);
				return announced != null && announced.contains("fraud/1") && announced.contains("fraud/2");
			});
		}
		finally {
			redis.shutdown();
		}
	}

	@Test
	void theCallersTraceBecomesAnExemplarOfTheLatencyHistogram() throws Exception {
		awaitReady();
		String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

		HttpResponse<String> answer = this.http.send(HttpRequest.newBuilder(uri("/v2/models/fraud/versions/2/infer"))
			.header("Content-Type", "application/json")
			.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
			.POST(HttpRequest.BodyPublishers.ofString(
					"{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).isEqualTo(200);

		HttpResponse<String> openMetrics = this.http.send(HttpRequest.newBuilder(uri("/actuator/prometheus"))
			.header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(openMetrics.body()
			.lines()
			.filter((line) -> line.startsWith("inference_requests_seconds_bucket{")
					&& line.contains("model_version=\"2\""))
			.filter((line) -> line.contains("trace_id=\"" + traceId + "\""))
			.count()).isPositive();
	}

	@Test
	void theBinaryExtensionCarriesInputsAndOutputsAsRawLittleEndianData() throws Exception {
		awaitReady();
		float[] rows = { 0.5f, 1.0f, -0.3f, 0.1f, 0.2f, 0.3f };
		java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		for (float value : rows) {
			raw.putFloat(value);
		}
		String header = "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 3], \"datatype\": \"FP32\", "
				+ "\"parameters\": {\"binary_data_size\": 24}}], \"parameters\": {\"binary_data_output\": true}}";

		HttpResponse<byte[]> answer = postBinary(header, raw.array(), header.length());

		assertThat(answer.statusCode()).as(new String(answer.body())).isEqualTo(200);
		assertThat(answer.headers().firstValue("X-Model-Version")).hasValue("1");
		int jsonLength = Integer.parseInt(answer.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
		JsonNode output = json
			.readTree(new String(answer.body(), 0, jsonLength, java.nio.charset.StandardCharsets.UTF_8))
			.path("outputs")
			.get(0);
		assertThat(output.has("data")).isFalse();
		assertThat(output.path("parameters").path("binary_data_size").asInt()).isEqualTo(16);
		java.nio.FloatBuffer binaryOut = java.nio.ByteBuffer.wrap(answer.body(), jsonLength, 16)
			.order(java.nio.ByteOrder.LITTLE_ENDIAN)
			.asFloatBuffer();
		JsonNode asJson = json.readTree(post("/v2/models/fraud/infer",
				"{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"data\": "
						+ java.util.Arrays.toString(rows) + "}]}")
			.body());
		for (int i = 0; i < 4; i++) {
			assertThat(binaryOut.get(i)).isEqualTo(asJson.path("outputs").get(0).path("data").get(i).floatValue());
		}
	}

	@Test
	void refusesBinaryDataThatDoesNotAddUpNamingTheField() throws Exception {
		awaitReady();
		String header = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", "
				+ "\"parameters\": {\"binary_data_size\": 8}}]}";

		HttpResponse<byte[]> shortData = postBinary(header, new byte[8], header.length());
		assertThat(shortData.statusCode()).isEqualTo(400);
		assertThat(json.readTree(shortData.body()).path("field").asString())
			.isEqualTo("inputs[0].parameters.binary_data_size");
		assertThat(json.readTree(shortData.body()).path("error").asString()).contains("3 FP32 elements take 12 bytes");

		HttpResponse<byte[]> missingBytes = postBinary(header, new byte[4], header.length());
		assertThat(missingBytes.statusCode()).isEqualTo(400);
		assertThat(json.readTree(missingBytes.body()).path("error").asString()).contains("only 4 bytes follow");

		HttpResponse<byte[]> headerTooLong = postBinary(header, new byte[8], header.length() + 100);
		assertThat(headerTooLong.statusCode()).isEqualTo(400);
		assertThat(json.readTree(headerTooLong.body()).path("error").asString())
			.contains("Inference-Header-Content-Length");
	}

	@Test
	void aPinnedVersionServesThatVersionAndNamesIt() throws Exception {
		awaitReady();

		HttpResponse<String> answer = post("/v2/models/fraud/versions/2/infer",
				"{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}");

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(answer.headers().firstValue("X-Model-Version")).hasValue("2");
		assertOutputsMatch(json.readTree(answer.body()), v2(), new float[] { 1, 2, 3 });
		assertThat(post("/v2/models/fraud/versions/7/infer",
				"{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}")
			.statusCode()).isEqualTo(404);
	}

	@Test
	void refusesARequestThatDoesNotFitTheSignatureNamingTheField() throws Exception {
		awaitReady();

		HttpResponse<String> wrongShape = post("/v2/models/fraud/infer",
				"{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}");
		assertThat(wrongShape.statusCode()).isEqualTo(400);
		assertThat(wrongShape.headers().firstValue("Content-Type").orElseThrow())
			.startsWith("application/problem+json");
		JsonNode problem = json.readTree(wrongShape.body());
		assertThat(problem.path("field").asString()).isEqualTo("inputs[0].shape");
		assertThat(problem.path("error").asString()).contains("expects shape [-1, 3]");

		HttpResponse<String> unknownOutput = post("/v2/models/fraud/infer", "{\"inputs\": [{\"name\": \"input\", "
				+ "\"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}], \"outputs\": [{\"name\": \"probs\"}]}");
		assertThat(unknownOutput.statusCode()).isEqualTo(400);
		assertThat(json.readTree(unknownOutput.body()).path("field").asString()).isEqualTo("outputs[0].name");

		HttpResponse<String> notPost = this.http.send(HttpRequest.newBuilder(uri("/v2/models/fraud/infer")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(notPost.statusCode()).isEqualTo(405);
		assertThat(notPost.headers().firstValue("Allow")).hasValue("POST");
		HttpResponse<String> notAVersion = post("/v2/models/fraud/versions/latest/infer", "{}");
		assertThat(notAVersion.statusCode()).isEqualTo(400);
		assertThat(json.readTree(notAVersion.body()).path("field").asString()).isEqualTo("version");

		HttpResponse<String> malformed = post("/v2/models/fraud/infer", "{\"inputs\": [");
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(json.readTree(malformed.body()).path("error").asString()).isNotEmpty();
		assertThat(get("/v2/models/nobody").statusCode()).isEqualTo(404);

		HttpResponse<String> oversized = post("/v2/models/fraud/infer",
				"{\"inputs\": [], \"id\": \"" + "x".repeat(17 * 1024 * 1024) + "\"}");
		assertThat(oversized.statusCode()).isEqualTo(413);
		assertThat(json.readTree(oversized.body()).path("error").asString()).contains("at most");
	}

	static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> clientInputThatOnceBecameA500() {
		return java.util.stream.Stream.of(
				org.junit.jupiter.params.provider.Arguments.of("a body of JSON null", "null", "body"),
				org.junit.jupiter.params.provider.Arguments.of("a shape whose element count overflows 64 bits",
						"{\"inputs\": [{\"name\": \"input\", \"shape\": [6148914691236517206, 3], "
								+ "\"datatype\": \"FP32\", \"data\": [1, 2]}]}",
						"inputs[0].shape"),
				org.junit.jupiter.params.provider.Arguments.of("ragged rows whose flat count fits the shape",
						"{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 3], \"datatype\": \"FP32\", "
								+ "\"data\": [[1, 2], [3, 4, 5, 6]]}]}",
						"inputs[0].data"),
				org.junit.jupiter.params.provider.Arguments.of("a number past FP32's finite range",
						"{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", "
								+ "\"data\": [1, 1e39, 3]}]}",
						"inputs[0].data[1]"));
	}

	@org.junit.jupiter.params.ParameterizedTest(name = "{0}")
	@org.junit.jupiter.params.provider.MethodSource("clientInputThatOnceBecameA500")
	void refusesBadClientInputWithAProblemNamingTheFieldAndNeverCountsItAsTheVersionsError(String description,
			String body, String field) throws Exception {
		awaitReady();

		HttpResponse<String> answer = post("/v2/models/fraud/infer", body);

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
		assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		JsonNode problem = json.readTree(answer.body());
		assertThat(problem.path("field").asString()).isEqualTo(field);
		assertThat(problem.path("error").asString()).isNotEmpty().doesNotContainIgnoringCase("onnx");
		assertThat(get("/actuator/prometheus").body()).contains(
				"inference_requests_seconds_count{model=\"fraud\",model_version=\"1\",outcome=\"SERVER_ERROR\"} 0");
	}

	/** A tensor as a careless or hostile client writes it. */
	record FuzzedTensor(String name, List<Long> shape, String datatype, List<Double> data) {
	}

	/** An Open Inference Protocol request as a careless or hostile client writes it. */
	record FuzzedRequest(String id, List<FuzzedTensor> inputs, List<FuzzedTensor> outputs) {
	}

	/**
	 * Generated requests (Instancio, a fixed seed): names, shapes, datatypes and values
	 * drawn from what careless and hostile clients send. Whatever comes, infer and
	 * {@code :predict} never answer 5xx, and the version counts no server error.
	 */
	@Test
	void aGeneratedRequestIsNeverAServerError() throws Exception {
		awaitReady();
		String[] names = { "input", "", "x", "input\u0000", "名前" };
		long[] dims = { 1, 3, 2, 0, -1, 6148914691236517206L, Long.MAX_VALUE, Integer.MAX_VALUE + 1L };
		String[] datatypes = { "FP32", "FP64", "INT64", "INT32", "BOOL", "BYTES", "UINT8", "fp32", "" };
		double[] values = { 0, 1, -1, 0.5, 1e39, -1e39, Double.MAX_VALUE, 1e-45, 3 };
		org.instancio.settings.Settings settings = org.instancio.settings.Settings.create()
			.set(org.instancio.settings.Keys.STRING_NULLABLE, true)
			.set(org.instancio.settings.Keys.COLLECTION_NULLABLE, true)
			.set(org.instancio.settings.Keys.COLLECTION_ELEMENTS_NULLABLE, true)
			.set(org.instancio.settings.Keys.COLLECTION_MIN_SIZE, 0)
			.set(org.instancio.settings.Keys.COLLECTION_MAX_SIZE, 4);
		List<FuzzedRequest> requests = org.instancio.Instancio.ofList(FuzzedRequest.class)
			.size(150)
			.withSettings(settings)
			.withSeed(20261202L)
			.supply(org.instancio.Select.field(FuzzedTensor::name), (random) -> random.oneOf(names))
			.supply(org.instancio.Select.field(FuzzedTensor::datatype), (random) -> random.oneOf(datatypes))
			.supply(org.instancio.Select.all(Long.class), (random) -> dims[random.intRange(0, dims.length - 1)])
			.supply(org.instancio.Select.all(Double.class), (random) -> values[random.intRange(0, values.length - 1)])
			.create();
		List<String> failures = new java.util.ArrayList<>();
		for (FuzzedRequest request : requests) {
			String body = json.writeValueAsString(request);
			for (String path : List.of("/v2/models/fraud/infer", "/v1/models/fraud:predict")) {
				HttpResponse<String> answer = post(path, body);
				if (answer.statusCode() >= 500) {
					failures.add(answer.statusCode() + " from " + path + " for " + body + ": " + answer.body());
				}
			}
		}
		assertThat(failures).isEmpty();
		assertThat(get("/actuator/prometheus").body()).contains(
				"inference_requests_seconds_count{model=\"fraud\",model_version=\"1\",outcome=\"SERVER_ERROR\"} 0");
	}

	@Test
	void versionsThatFailTheirDigestOrTheirWarmUpNeverBecomeReady() throws Exception {
		awaitReady();
		controlPlane.sendJson("POST", "/api/v1/models", "{\"name\":\"broken\"}");
		Path failing = IdentityModel.writeFailingAtRun(models.resolve("failing.onnx"));
		assertThat(controlPlane.upload("broken", Files.readAllBytes(failing)).statusCode()).isEqualTo(201);
		Path tampered = IdentityModel.write(models.resolve("tampered.onnx"), OnnxMl.TensorProto.DataType.INT64_VALUE,
				2);
		JsonNode second = json.readTree(controlPlane.upload("broken", Files.readAllBytes(tampered)).body());
		// Corrupt the stored bytes under the control plane, so what it serves no longer
		// hashes to the digest.
		try (var connection = java.sql.DriverManager.getConnection(controlPlane.database().jdbcUrl(),
				controlPlane.database().username(), controlPlane.database().password());
				var statement = connection.prepareStatement(
						"UPDATE artifact_chunk SET data = overlay(data placing '\\xff'::bytea from 20 for 1) WHERE digest = ?")) {
			statement.setString(1, second.path("digest").asString());
			assertThat(statement.executeUpdate()).isEqualTo(1);
		}
		assertThat(controlPlane.sendJson("PUT", "/api/v1/deployments/broken",
				"{\"model\": \"broken\", \"stableVersion\": 1, \"canary\": {\"version\": 2, \"weightBasisPoints\": 0}}")
			.statusCode()).isEqualTo(201);

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			String readiness = get("/actuator/health/readiness").body();
			assertThat(readiness).contains("warm-up failed").contains("digest mismatch");
		});
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503);
		assertThat(get("/v2/health/ready").statusCode()).isEqualTo(503);
		HttpResponse<String> notReady = post("/v2/models/broken/infer",
				"{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}");
		assertThat(notReady.statusCode()).isEqualTo(503);
		assertThat(get("/v2/models/fraud/ready").statusCode()).isEqualTo(200);
		assertThat(post("/v2/models/fraud/infer",
				"{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}")
			.statusCode()).isEqualTo(200);
		String metrics = get("/actuator/prometheus").body();
		assertThat(metrics).contains("inference_model_load_failures_total")
			.contains("inference_batch_size_bucket{model=\"fraud\",model_version=\"1\",le=\"16.0\"}")
			.contains("inference_queue_wait_seconds_bucket{model=\"fraud\",model_version=\"1\"")
			.contains("inference_model_execution_seconds_count{model=\"fraud\",model_version=\"1\"}")
			.contains(
					"inference_requests_seconds_bucket{model=\"fraud\",model_version=\"1\",outcome=\"SUCCESS\",le=\"0.005\"}");

		// Point the deployment at a good version again: the instance is ready for the
		// other tests, whichever runs next.
		controlPlane.upload("broken", Files.readAllBytes(v1()));
		String etag = controlPlane.send("GET", "/api/v1/deployments/broken", null, null)
			.headers()
			.firstValue("ETag")
			.orElseThrow();
		assertThat(controlPlane
			.sendJson("PUT", "/api/v1/deployments/broken", "{\"model\": \"broken\", \"stableVersion\": 3}", "If-Match",
					etag)
			.statusCode()).isEqualTo(200);
		awaitReady();
	}

	@Test
	void aHotSwapUnderContinuousTrafficFailsNoRequest() throws Exception {
		// A deployment of its own: the swap leaves it on version 2, which no other test
		// expects of fraud.
		controlPlane.sendJson("POST", "/api/v1/models", "{\"name\":\"swap\"}");
		assertThat(controlPlane.upload("swap", Files.readAllBytes(v1())).statusCode()).isEqualTo(201);
		assertThat(controlPlane.upload("swap", Files.readAllBytes(v2())).statusCode()).isEqualTo(201);
		assertThat(controlPlane.sendJson("PUT", "/api/v1/deployments/swap", """
				{"model": "swap", "stableVersion": 1, "batching": {"maxBatchSize": 16, "maxQueueDelayMicros": 1000}}""")
			.statusCode()).isEqualTo(201);
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> get("/v2/models/swap/ready").statusCode() == 200);
		awaitReady();
		AtomicBoolean running = new AtomicBoolean(true);
		java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
		Map<String, AtomicInteger> byVersion = new ConcurrentHashMap<>();
		ExecutorService clients = Executors.newFixedThreadPool(4);
		for (int c = 0; c < 4; c++) {
			clients.execute(() -> {
				while (running.get()) {
					try {
						HttpResponse<String> answer = post("/v2/models/swap/infer",
								"{\"inputs\": [{\"name\": \"input\", "
										+ "\"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}");
						if (answer.statusCode() != 200) {
							failures.add(answer.statusCode() + " " + answer.body());
						}
						else {
							byVersion
								.computeIfAbsent(answer.headers().firstValue("X-Model-Version").orElse("?"),
										(v) -> new AtomicInteger())
								.incrementAndGet();
						}
					}
					catch (Exception ex) {
						failures.add(ex.toString());
					}
				}
			});
		}
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> byVersion.containsKey("1"));
			String etag = controlPlane.send("GET", "/api/v1/deployments/swap", null, null)
				.headers()
				.firstValue("ETag")
				.orElseThrow();
			assertThat(controlPlane.sendJson("PUT", "/api/v1/deployments/swap",
					"{\"model\": \"swap\", \"stableVersion\": 2, \"batching\": {\"maxBatchSize\": 16, \"maxQueueDelayMicros\": 1000}}",
					"If-Match", etag)
				.statusCode()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> byVersion.getOrDefault("2", new AtomicInteger()).get() > 20);
		}
		finally {
			running.set(false);
			clients.shutdown();
			clients.awaitTermination(30, TimeUnit.SECONDS);
		}
		assertThat(failures).isEmpty();
		assertThat(byVersion.keySet()).containsOnly("1", "2");
		// Kept for the retired-version grace (10 s by default), for gateways that route
		// by an
		// announcement a heartbeat old; then unloaded.
		assertThat(get("/v2/models/swap/versions/1/ready").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(30)).until(() -> get("/v2/models/swap/versions/1/ready").statusCode() == 404);
		// Unloaded with its meters: labels stay bounded by the versions served now.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(get("/actuator/prometheus").body())
				.contains("inference_requests_seconds_count{model=\"swap\",model_version=\"2\"")
				.doesNotContain("inference_requests_seconds_count{model=\"swap\",model_version=\"1\"")
				.doesNotContain("inference_queue_wait_seconds_count{model=\"swap\",model_version=\"1\""));
	}

	private static void assertOutputsMatch(JsonNode body, Path model, float[] rows) {
		JsonNode output = body.path("outputs").get(0);
		assertThat(output.path("name").asString()).isEqualTo("output");
		assertThat(output.path("datatype").asString()).isEqualTo("FP32");
		try (LoadedModel direct = LoadedModel.open(model, RuntimeSettings.defaults())) {
			float[] expected = (float[]) direct
				.run(Map.of("input", new Tensor(DataType.FP32, new long[] { rows.length / 3, 3 }, rows)), List.of())
				.get("output")
				.data();
			assertThat(output.path("data").size()).isEqualTo(expected.length);
			for (int i = 0; i < expected.length; i++) {
				assertThat(output.path("data").get(i).floatValue()).isCloseTo(expected[i], within(1e-6f));
			}
		}
	}

	private void awaitReady() {
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> get("/actuator/health/readiness").statusCode() == 200);
	}

	private static Path v1() {
		return models.resolve("v1.onnx").toFile().exists() ? models.resolve("v1.onnx")
				: SyntheticClassifier.fraud().writeOnnx(models.resolve("v1.onnx"));
	}

	private static Path v2() {
		return models.resolve("v2.onnx").toFile().exists() ? models.resolve("v2.onnx")
				: SyntheticClassifier.withFeatures(SyntheticClassifier.FRAUD_FEATURES, 9)
					.writeOnnx(models.resolve("v2.onnx"));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return InstanceCalls.at(this.environment).get(path);
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return InstanceCalls.at(this.environment).post(path, body);
	}

	private HttpResponse<byte[]> postBinary(String header, byte[] data, int jsonLength) throws Exception {
		byte[] json = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		byte[] body = java.util.Arrays.copyOf(json, json.length + data.length);
		System.arraycopy(data, 0, body, json.length, data.length);
		return this.http.send(HttpRequest.newBuilder(uri("/v2/models/fraud/infer"))
			.header("Content-Type", "application/octet-stream")
			.header("Inference-Header-Content-Length", Integer.toString(jsonLength))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	private URI uri(String path) {
		return InstanceCalls.at(this.environment).uri(path);
	}

}
