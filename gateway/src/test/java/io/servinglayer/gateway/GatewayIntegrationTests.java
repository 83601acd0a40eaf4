package io.servinglayer.gateway;

import io.servinglayer.contracts.InstanceAnnouncement;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The gateway end to end: the real control plane (its jar, as a process) issues the
 * tokens and the routing snapshot, a real inference instance (its jar, as a process)
 * announces itself in a real Redis and answers, and the gateway is called over HTTPS.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		// An ejection outlasts any test's requests, so no half-open trial comes in
		// between.
		"servinglayer.gateway.balancing.base-ejection-time=30s",
		// Small enough that a body over it is cheap to send.
		"servinglayer.gateway.requests.max-body-size=1MB" })
class GatewayIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String GATEWAY_SECRET = "gateway-secret-0123456789";

	private static final String INFER_BODY = """
			{"id": "req-1", "inputs": [{"name": "input", "shape": [1, 3], "datatype": "FP32", "data": [0.5, 1.0, -0.3]}]}""";

	private static ControlPlaneProcess controlPlane;

	private static InferenceInstanceProcess instance;

	private static Path state;

	private static String callerSecret;

	private static String narrowSecret;

	private static String tightSecret;

	/** An external scorer an operator routes to by configuration: what it was sent. */
	private static com.sun.net.httpserver.HttpServer externalScorer;

	private static final java.util.Queue<String> scorerAuthorizations = new java.util.concurrent.ConcurrentLinkedQueue<>();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	Routing routing;

	@Autowired
	InstanceDirectory directory;

	private HttpClient https;

	@DynamicPropertySource
	static void followTheControlPlane(DynamicPropertyRegistry registry) throws Exception {
		state = Files.createTempDirectory("gateway-state");
		Path models = Files.createTempDirectory("gateway-models");
		controlPlane = ControlPlaneProcess.start("gateway", GATEWAY_SECRET, "routing:read,inference:call");
		String instanceSecret = createClient("inference-a", "[\"routing:read\"]", null);
		callerSecret = createClient("caller", "[\"predict\", \"predict:pinned\"]", null);
		narrowSecret = createClient("narrow", "[\"predict:other\"]", null);
		tightSecret = createClient("tight", "[\"predict:fraud\"]", "{\"requestsPerSecond\": 0.1, \"burst\": 3}");
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
			.sendJson("PUT", "/api/v1/deployments/lonely",
					"{\"model\": \"fraud\", \"pool\": \"elsewhere\", \"stableVersion\": 1}")
			.statusCode()).isEqualTo(201);
		assertThat(controlPlane
			.sendJson("PUT", "/api/v1/deployments/mirrored",
					"{\"model\": \"fraud\", \"stableVersion\": 1, \"shadow\": {\"version\": 2, \"percent\": 100}}")
			.statusCode()).isEqualTo(201);
		assertThat(controlPlane.sendJson("PUT", "/api/v1/deployments/all-canary",
				"{\"model\": \"fraud\", \"stableVersion\": 1, \"canary\": {\"version\": 2, \"weightBasisPoints\": 10000}}")
			.statusCode()).isEqualTo(201);
		TestRedis redis = TestRedis.get();
		String redisUri = "redis://" + redis.host() + ":" + redis.port();
		instance = InferenceInstanceProcess.start(controlPlane.url(), "inference-a", instanceSecret, redisUri,
				controlPlane.redisPrefix(), "instance-a");
		GatewaySettings.follow(registry, controlPlane, GATEWAY_SECRET, state, redisUri);
		externalScorer = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
		externalScorer.createContext("/", (exchange) -> {
			scorerAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
			byte[] answer = "{\"score\": 0.5}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, answer.length);
			exchange.getResponseBody().write(answer);
			exchange.close();
		});
		externalScorer.start();
		// The example of docs/gateway.md: a route of the operator's, behind a token
		// check.
		String route = "spring.cloud.gateway.server.webflux.routes[0].";
		registry.add(route + "id", () -> "external-scorer");
		registry.add(route + "uri", () -> "http://127.0.0.1:" + externalScorer.getAddress().getPort());
		registry.add(route + "predicates[0]", () -> "Path=/scorers/external/**");
		registry.add(route + "filters[0]", () -> "RemoveRequestHeader=Authorization");
		registry.add("servinglayer.gateway.route-access.token-paths", () -> "/scorers/**");
	}

	private static String createClient(String clientId, String scopes, String ratePlan) {
		HttpResponse<String> created = controlPlane.sendJson("POST", "/api/v1/clients",
				"{\"clientId\": \"" + clientId + "\", \"tenant\": \"acme\", \"scopes\": " + scopes
						+ ((ratePlan != null) ? ", \"ratePlan\": " + ratePlan : "") + "}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return json.readTree(created.body()).path("clientSecret").asString();
	}

	@AfterAll
	static void stopProcesses() {
		if (externalScorer != null) {
			externalScorer.stop(0);
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
			.until(() -> this.routing.table().client("tight") != null
					&& this.routing.table().deployment("lonely") != null && this.directory.isWarm("fraud", 1)
					&& this.directory.isWarm("fraud", 2));
	}

	@Test
	void aPredictionOverHttpsWithARealTokenComesBackNamingItsVersion() throws Exception {
		String token = controlPlane.token("caller", callerSecret);
		HttpResponse<String> answer = send(
				post("/v2/models/fraud/infer", token, INFER_BODY).header("X-Request-Id", "client-chosen-1"));

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
		assertThat(answer.headers().firstValue("X-Model-Version")).hasValue("1");
		assertThat(answer.headers().firstValue("X-Request-Id")).hasValue("client-chosen-1");
		assertThat(answer.headers().firstValue("RateLimit-Limit")).hasValue("100");
		JsonNode body = json.readTree(answer.body());
		assertThat(body.path("model_version").asString()).isEqualTo("1");
		assertThat(body.path("id").asString()).isEqualTo("req-1");
		assertThat(body.path("outputs").get(0).path("shape").toString()).isEqualTo("[1,2]");

		HttpResponse<String> metadata = send(get("/v2/models/fraud", token));
		assertThat(metadata.statusCode()).isEqualTo(200);
		assertThat(metadata.headers().firstValue("X-Model-Version")).hasValue("1");
		assertThat(send(get("/v2/models/fraud/ready", token)).statusCode()).isEqualTo(200);
	}

	@Test
	void aPinnedVersionNeedsThePinnedScopeAndMustBeServed() throws Exception {
		String caller = controlPlane.token("caller", callerSecret);
		HttpResponse<String> pinned = send(post("/v2/models/fraud/versions/2/infer", caller, INFER_BODY));
		assertThat(pinned.statusCode()).as(pinned.body()).isEqualTo(200);
		assertThat(pinned.headers().firstValue("X-Model-Version")).hasValue("2");
		assertThat(json.readTree(pinned.body()).path("model_version").asString()).isEqualTo("2");

		HttpResponse<String> unserved = send(post("/v2/models/fraud/versions/7/infer", caller, INFER_BODY));
		assertThat(unserved.statusCode()).isEqualTo(404);
		assertThat(unserved.body()).contains("https://servinglayer.dev/problems/version-not-served");

		HttpResponse<String> withoutPinnedScope = send(
				post("/v2/models/fraud/versions/2/infer", controlPlane.token("tight", tightSecret), INFER_BODY));
		assertThat(withoutPinnedScope.statusCode()).isEqualTo(403);
		assertThat(withoutPinnedScope.headers().firstValue("WWW-Authenticate").orElseThrow())
			.contains("error=\"insufficient_scope\"")
			.contains("predict:pinned");
	}

	@Test
	void aTokenWithoutAPredictScopeForTheModelIsRefused403() throws Exception {
		HttpResponse<String> answer = send(
				post("/v2/models/fraud/infer", controlPlane.token("narrow", narrowSecret), INFER_BODY));

		assertThat(answer.statusCode()).isEqualTo(403);
		assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(answer.body()).contains("https://servinglayer.dev/problems/insufficient-scope")
			.contains("\"error\"");
		assertThat(answer.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");
	}

	@Test
	void aTokenOfTheControlPlaneForAnotherAudienceOrNoTokenIsRefused401() throws Exception {
		HttpResponse<String> none = send(post("/v2/models/fraud/infer", null, INFER_BODY));
		assertThat(none.statusCode()).isEqualTo(401);
		String routingToken = controlPlane.token("gateway", GATEWAY_SECRET);
		HttpResponse<String> wrongScope = send(post("/v2/models/fraud/infer", routingToken, INFER_BODY));
		assertThat(wrongScope.statusCode()).as("a valid token without predict").isEqualTo(403);
		String tampered = routingToken.substring(0, routingToken.length() - 4) + "AAAA";
		assertThat(send(post("/v2/models/fraud/infer", tampered, INFER_BODY)).statusCode()).isEqualTo(401);
	}

	@Test
	void aClientDisabledInTheControlPlaneIsRefusedEvenWithATokenThatHasNotExpired() throws Exception {
		String secret = createClient("leaving", "[\"predict\"]", null);
		String token = controlPlane.token("leaving", secret);
		assertThat(send(post("/v2/models/fraud/infer", token, INFER_BODY)).statusCode()).isEqualTo(200);

		assertThat(controlPlane.send("POST", "/api/v1/clients/leaving:disable", null, null).statusCode())
			.isEqualTo(200);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.routing.table().client("leaving") != null
					&& this.routing.table().client("leaving").disabled());

		HttpResponse<String> refused = send(post("/v2/models/fraud/infer", token, INFER_BODY));
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("https://servinglayer.dev/problems/insufficient-scope");
	}

	@Test
	void manyPostsRefusedBeforeForwardingShareOneHttp2ConnectionWithAnsweredOnesWithoutBreakingIt() throws Exception {
		// A client of its own with a plan far above 150 requests: only the paths decide.
		String secret = createClient("many", "[\"predict\"]", "{\"requestsPerSecond\": 10000, \"burst\": 10000}");
		await().atMost(Duration.ofSeconds(30)).until(() -> this.routing.table().client("many") != null);
		String token = controlPlane.token("many", secret);
		String[] paths = { "/v2/models/nobody/infer", "/v2/models/lonely/infer", "/v2/models/fraud/infer" };
		int[] expected = { 404, 503, 200 };
		java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> answers = new java.util.ArrayList<>();
		for (int i = 0; i < 150; i++) {
			answers
				.add(this.https.sendAsync(post(paths[i % 3], token, INFER_BODY).timeout(Duration.ofSeconds(20)).build(),
						HttpResponse.BodyHandlers.ofString()));
			if (answers.size() % 16 == 0) {
				answers.get(answers.size() - 1).join();
			}
		}
		for (int i = 0; i < answers.size(); i++) {
			HttpResponse<String> answer = answers.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS);
			assertThat(answer.statusCode()).as("request %d to %s", i, paths[i % 3]).isEqualTo(expected[i % 3]);
			assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
		}
	}

	@Test
	void afterTheBurstAClientGets429WithRetryAfterAndRateLimitHeaders() throws Exception {
		String token = controlPlane.token("tight", tightSecret);
		for (int remaining = 2; remaining >= 0; remaining--) {
			HttpResponse<String> answer = send(post("/v2/models/fraud/infer", token, INFER_BODY));
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
			assertThat(answer.headers().firstValue("RateLimit-Limit")).hasValue("3");
			assertThat(answer.headers().firstValue("RateLimit-Remaining")).hasValue(Integer.toString(remaining));
			assertThat(answer.headers().firstValue("RateLimit-Reset")).isPresent();
		}
		HttpResponse<String> refused = send(post("/v2/models/fraud/infer", token, INFER_BODY));
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Retry-After").map(Long::parseLong))
			.hasValueSatisfying((seconds) -> assertThat(seconds).isBetween(1L, 10L));
		assertThat(refused.headers().firstValue("RateLimit-Limit")).hasValue("3");
		assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
		assertThat(refused.headers().firstValue("RateLimit-Reset").map(Long::parseLong))
			.hasValueSatisfying((seconds) -> assertThat(seconds).isBetween(1L, 30L));
		assertThat(refused.body()).contains("https://servinglayer.dev/problems/rate-limited");
	}

	@Test
	void aDeploymentWithNoReadyInstanceAnswers503WithRetryAfter() throws Exception {
		HttpResponse<String> answer = send(
				post("/v2/models/lonely/infer", controlPlane.token("caller", callerSecret), INFER_BODY));

		assertThat(answer.statusCode()).isEqualTo(503);
		assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(answer.headers().firstValue("X-Model-Version")).hasValue("1");
		assertThat(answer.body()).contains("https://servinglayer.dev/problems/no-ready-instance");
	}

	@Test
	void anUnknownModelIs404AndThePredictPathIsRouted() throws Exception {
		String token = controlPlane.token("caller", callerSecret);
		HttpResponse<String> unknown = send(post("/v2/models/nobody/infer", token, INFER_BODY));
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("https://servinglayer.dev/problems/model-not-found");
		HttpResponse<String> v1 = send(post("/v1/models/nobody:predict", token, "{\"instances\": []}"));
		assertThat(v1.body()).contains("https://servinglayer.dev/problems/model-not-found");
	}

	@Test
	void aPredictGoesToTheVersionTheSplitChoseNotToTheInstancesStable() throws Exception {
		String token = controlPlane.token("caller", callerSecret);
		await().atMost(Duration.ofSeconds(60)).until(() -> this.directory.isWarm("all-canary", 2));
		// Neither version binds features, so the instance refuses the call, naming the
		// version it was asked for.
		HttpResponse<String> answer = send(post("/v1/models/all-canary:predict", token, "{\"instances\": [{}]}"));
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
		assertThat(answer.headers().firstValue("X-Model-Version")).hasValue("2");
		assertThat(answer.body()).contains("version 2 of 'all-canary' has no feature binding");
	}

	@Test
	void recordsPerVersionOutcomesInRedisAndPrometheus() throws Exception {
		String token = controlPlane.token("caller", callerSecret);
		send(post("/v2/models/fraud/infer", token, INFER_BODY));
		// Model calls take the lean path and are timed once, in gateway.model.requests;
		// Spring Cloud Gateway's own timer counts the routes it serves (metadata here).
		send(get("/v2/models/fraud", token));
		assertThat(prometheus()).contains("spring_cloud_gateway_requests_seconds_count")
			.contains("gateway_ratelimit_decisions_without_redis_total")
			.contains(
					"gateway_model_requests_seconds_bucket{model=\"fraud\",outcome=\"success\",version=\"1\",le=\"0.2\"}");
		TestRedis redis = TestRedis.get();
		io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient
			.create("redis://" + redis.host() + ":" + redis.port());
		try (var connection = client.connect()) {
			await().atMost(Duration.ofSeconds(5))
				.until(() -> !connection.sync().keys(controlPlane.redisPrefix() + "outcomes:fraud:1:*").isEmpty());
			String key = connection.sync().keys(controlPlane.redisPrefix() + "outcomes:fraud:1:*").get(0);
			assertThat(Long.parseLong(connection.sync().hget(key, "count"))).isPositive();
			assertThat(connection.sync().ttl(key)).isPositive();
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void aShadowCopyGoesToTheShadowVersionAndIsComparedWithoutChangingTheAnswer() throws Exception {
		HttpResponse<String> answer = send(
				post("/v2/models/mirrored/infer", controlPlane.token("caller", callerSecret), INFER_BODY));

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(answer.headers().firstValue("X-Model-Version")).hasValue("1");
		assertThat(json.readTree(answer.body()).path("model_version").asString()).isEqualTo("1");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(prometheus())
				.contains("gateway_shadow_requests_total{model=\"mirrored\",outcome=\"success\",version=\"2\"}")
				.containsPattern(
						"gateway_shadow_agreement_total\\{model=\"mirrored\",result=\"(agree|disagree)\",version=\"2\"\\}"));
	}

	@Test
	void aRequestInTheBinaryExtensionIsShadowedAsItCame() throws Exception {
		String shadowed = "gateway_shadow_requests_total{model=\"mirrored\",outcome=\"success\",version=\"2\"}";
		double before = metric(shadowed);
		String header = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", "
				+ "\"parameters\": {\"binary_data_size\": 12}}]}";
		java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(header.length() + 12)
			.order(java.nio.ByteOrder.LITTLE_ENDIAN)
			.put(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
			.putFloat(0.5f)
			.putFloat(1.0f)
			.putFloat(-0.3f);

		HttpResponse<String> answer = send(get("/v2/models/mirrored/infer", controlPlane.token("caller", callerSecret))
			.header("Content-Type", "application/octet-stream")
			.header("Inference-Header-Content-Length", Integer.toString(header.length()))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.array())));

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(json.readTree(answer.body()).path("outputs").get(0).path("data").size()).isEqualTo(2);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metric(shadowed)).isEqualTo(before + 1));
	}

	@Test
	void anInstanceThatRefusesConnectionsIsRetriedOnAnotherAndNoRequestFails() throws Exception {
		TestRedis redis = TestRedis.get();
		io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient
			.create("redis://" + redis.host() + ":" + redis.port());
		String key = InstanceAnnouncement.key(controlPlane.redisPrefix(), "default", "dead-one");
		int closedPort;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		try (var connection = client.connect()) {
			// An announcement whose instance has died without withdrawing it.
			connection.sync()
				.set(key,
						"{\"instanceId\": \"dead-one\", \"baseUrl\": \"http://127.0.0.1:" + closedPort
								+ "\", \"pool\": \"default\", "
								+ "\"readyVersions\": [\"fraud/1\"], \"announcedAt\": \"2026-11-28T00:00:00Z\"}",
						io.lettuce.core.SetArgs.Builder.ex(60));
			connection.sync()
				.zadd(InstanceAnnouncement.indexKey(controlPlane.redisPrefix(), "default"),
						System.currentTimeMillis() + 60_000, "dead-one");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.directory.ready("fraud", 1).size() == 2);
			String token = controlPlane.token("caller", callerSecret);
			for (int i = 0; i < 12; i++) {
				HttpResponse<String> answer = send(post("/v2/models/fraud/infer", token, INFER_BODY));
				assertThat(answer.statusCode()).as("request %d: %s", i, answer.body()).isEqualTo(200);
				assertThat(answer.headers().firstValue("X-Model-Version")).hasValue("1");
			}
		}
		finally {
			try (var connection = client.connect()) {
				connection.sync().del(key);
				connection.sync()
					.zrem(InstanceAnnouncement.indexKey(controlPlane.redisPrefix(), "default"), "dead-one");
			}
			client.shutdown();
		}
	}

	@Test
	void anInstanceSlowerThanTheDeploymentsTimeoutIsAnswered504AndCountedAsATimeout() throws Exception {
		assertThat(controlPlane
			.sendJson("PUT", "/api/v1/deployments/slowpoke",
					"{\"model\": \"fraud\", \"pool\": \"slow\", \"stableVersion\": 1, \"timeoutMs\": 300}")
			.statusCode()).isEqualTo(201);
		// The real instance cannot be made slow on purpose; a server of the test's own
		// that
		// answers after 3 s stands in for one that hangs.
		java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
		com.sun.net.httpserver.HttpServer slow = slowStandIn(3000, hits);
		TestRedis redis = TestRedis.get();
		io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient
			.create("redis://" + redis.host() + ":" + redis.port());
		try (var connection = client.connect()) {
			announce(connection, "slow", "slow-one", slow.getAddress().getPort(), "slowpoke/1");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.routing.table().deployment("slowpoke") != null
						&& this.directory.isWarm("slowpoke", 1));

			HttpResponse<String> answer = send(
					post("/v2/models/slowpoke/infer", controlPlane.token("caller", callerSecret), INFER_BODY));

			assertThat(answer.statusCode()).isEqualTo(504);
			assertThat(answer.headers().firstValue("Content-Type").orElseThrow())
				.startsWith("application/problem+json");
			assertThat(answer.headers().firstValue("X-Model-Version")).hasValue("1");
			assertThat(answer.body()).contains("https://servinglayer.dev/problems/inference-timeout")
				.contains("within 300 ms");
			assertThat(hits).as("an attempt that timed out is never retried").hasValue(1);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> !connection.sync().keys(controlPlane.redisPrefix() + "outcomes:slowpoke:1:*").isEmpty());
			String key = connection.sync().keys(controlPlane.redisPrefix() + "outcomes:slowpoke:1:*").get(0);
			assertThat(connection.sync().hgetall(key)).containsEntry("timeouts", "1").containsEntry("errors", "1");
			assertThat(hits).as("still one attempt once the outcome is recorded").hasValue(1);
		}
		finally {
			client.shutdown();
			slow.stop(0);
		}
	}

	@Test
	void aStableVersionChangeUnderSteadyTrafficFailsNoRequest() throws Exception {
		assertThat(controlPlane
			.sendJson("PUT", "/api/v1/deployments/rolling", "{\"model\": \"fraud\", \"stableVersion\": 1}")
			.statusCode()).isEqualTo(201);
		await().atMost(Duration.ofSeconds(60)).until(() -> this.directory.isWarm("rolling", 1));
		// A client of its own whose plan the four callers cannot use up: the default plan
		// (50/s) would refuse some of their requests, and only the version change is
		// under test.
		String secret = createClient("steady", "[\"predict\"]", "{\"requestsPerSecond\": 10000, \"burst\": 10000}");
		await().atMost(Duration.ofSeconds(30)).until(() -> this.routing.table().client("steady") != null);
		String token = controlPlane.token("steady", secret);
		java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
		java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
		java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> byVersion = new java.util.concurrent.ConcurrentHashMap<>();
		java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
		for (int c = 0; c < 4; c++) {
			clients.execute(() -> {
				while (running.get()) {
					try {
						HttpResponse<String> answer = send(post("/v2/models/rolling/infer", token, INFER_BODY));
						if (answer.statusCode() != 200) {
							failures.add(answer.statusCode() + " " + answer.body());
						}
						else {
							byVersion
								.computeIfAbsent(answer.headers().firstValue("X-Model-Version").orElse("?"),
										(v) -> new java.util.concurrent.atomic.AtomicInteger())
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
			String etag = controlPlane.send("GET", "/api/v1/deployments/rolling", null, null)
				.headers()
				.firstValue("ETag")
				.orElseThrow();
			assertThat(controlPlane
				.sendJson("PUT", "/api/v1/deployments/rolling", "{\"model\": \"fraud\", \"stableVersion\": 2}",
						"If-Match", etag)
				.statusCode()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> byVersion.getOrDefault("2", new java.util.concurrent.atomic.AtomicInteger()).get() > 50);
		}
		finally {
			running.set(false);
			clients.shutdown();
			clients.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
		}
		assertThat(failures).isEmpty();
		assertThat(byVersion.keySet()).containsOnly("1", "2");
	}

	@Test
	void anInstanceRefusingTheGatewaysOwnCredentialIsA503ToRetryNeverA401ForTheCaller() throws Exception {
		assertThat(controlPlane
			.sendJson("PUT", "/api/v1/deployments/strict",
					"{\"model\": \"fraud\", \"pool\": \"strict\", \"stableVersion\": 1}")
			.statusCode()).isEqualTo(201);
		// An instance of the test's own that refuses every token, as one would that does
		// not know the key the gateway's token was signed with yet.
		com.sun.net.httpserver.HttpServer refusing = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
		refusing.createContext("/", (exchange) -> {
			exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
			exchange.sendResponseHeaders(401, -1);
			exchange.close();
		});
		refusing.start();
		TestRedis redis = TestRedis.get();
		io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient
			.create("redis://" + redis.host() + ":" + redis.port());
		try (var connection = client.connect()) {
			announce(connection, "strict", "strict-one", refusing.getAddress().getPort(), "strict/1");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.routing.table().deployment("strict") != null && this.directory.isWarm("strict", 1));

			HttpResponse<String> answer = send(
					post("/v2/models/strict/infer", controlPlane.token("caller", callerSecret), INFER_BODY));

			assertThat(answer.statusCode()).isEqualTo(503);
			assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
			assertThat(answer.headers().firstValue("WWW-Authenticate")).isEmpty();
			assertThat(answer.body()).contains("https://servinglayer.dev/problems/gateway-credential-refused");
		}
		finally {
			client.shutdown();
			refusing.stop(0);
		}
	}

	@Test
	void aClientThatGivesUpBeforeTheAnswerIsCountedAsClosedNeverAsTheVersionsOrTheInstancesFailure() throws Exception {
		assertThat(controlPlane
			.sendJson("PUT", "/api/v1/deployments/walkaway",
					"{\"model\": \"fraud\", \"pool\": \"walk\", \"stableVersion\": 1, \"timeoutMs\": 5000}")
			.statusCode()).isEqualTo(201);
		// An instance of the test's own that answers after 1.5 s, long after the client
		// gave up.
		com.sun.net.httpserver.HttpServer slow = slowStandIn(1500, new java.util.concurrent.atomic.AtomicInteger());
		TestRedis redis = TestRedis.get();
		io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient
			.create("redis://" + redis.host() + ":" + redis.port());
		try (var connection = client.connect()) {
			announce(connection, "walk", "walk-one", slow.getAddress().getPort(), "walkaway/1");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.routing.table().deployment("walkaway") != null
						&& this.directory.isWarm("walkaway", 1));
			HttpClient impatient = TrustingClients.trusting(state, HttpClient.Version.HTTP_1_1);

			assertThatThrownBy(() -> impatient
				.send(post("/v2/models/walkaway/infer", controlPlane.token("caller", callerSecret), INFER_BODY)
					.timeout(Duration.ofMillis(300))
					.build(), HttpResponse.BodyHandlers.ofString()))
				.isInstanceOf(java.net.http.HttpTimeoutException.class);

			String closed = "gateway_model_requests_seconds_count{model=\"walkaway\",outcome=\"client_closed\",version=\"1\"}";
			await().atMost(Duration.ofSeconds(10)).until(() -> metric(closed) == 1);
			assertThat(prometheus())
				.doesNotContain("gateway_model_requests_seconds_count{model=\"walkaway\",outcome=\"server_error\"")
				.doesNotContain("gateway_model_requests_seconds_count{model=\"walkaway\",outcome=\"timeout\"");
			assertThat(connection.sync().keys(controlPlane.redisPrefix() + "outcomes:walkaway:1:*"))
				.as("nothing in the buckets canary analysis reads")
				.isEmpty();
		}
		finally {
			client.shutdown();
			slow.stop(0);
		}
	}

	@Test
	void anInstanceAnswering503IsEjectedAfterFiveFailuresInARowAndThenGetsNoAttempts() throws Exception {
		// The real instance cannot be made to fail on purpose; a server of the test's own
		// that answers 503 to everything stands in for an overloaded one. Each of its
		// 503s
		// is retried on the real instance, so the client never sees one.
		com.sun.net.httpserver.HttpServer overloaded = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
		java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
		overloaded.createContext("/", (exchange) -> {
			attempts.incrementAndGet();
			exchange.sendResponseHeaders(503, -1);
			exchange.close();
		});
		overloaded.start();
		double ejectionsBefore = metric("gateway_instances_ejections_total{pool=\"default\"}");
		TestRedis redis = TestRedis.get();
		io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient
			.create("redis://" + redis.host() + ":" + redis.port());
		String key = InstanceAnnouncement.key(controlPlane.redisPrefix(), "default", "overloaded-one");
		try (var connection = client.connect()) {
			connection.sync()
				.set(key,
						"{\"instanceId\": \"overloaded-one\", \"baseUrl\": \"http://127.0.0.1:"
								+ overloaded.getAddress().getPort() + "\", \"pool\": \"default\", "
								+ "\"readyVersions\": [\"fraud/1\"]}",
						io.lettuce.core.SetArgs.Builder.ex(60));
			connection.sync()
				.zadd(InstanceAnnouncement.indexKey(controlPlane.redisPrefix(), "default"),
						System.currentTimeMillis() + 60_000, "overloaded-one");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.directory.ready("fraud", 1).size() == 2);
			String token = controlPlane.token("caller", callerSecret);
			for (int i = 0; i < 100 && attempts.get() < 5; i++) {
				HttpResponse<String> answer = send(post("/v2/models/fraud/infer", token, INFER_BODY));
				assertThat(answer.statusCode()).as("request %d: %s", i, answer.body()).isEqualTo(200);
			}
			assertThat(attempts).hasValue(5);
			assertThat(metric("gateway_instances_ejections_total{pool=\"default\"}")).isEqualTo(ejectionsBefore + 1);
			assertThat(metric("gateway_instances_ejected{pool=\"default\"}")).isEqualTo(1);

			for (int i = 0; i < 10; i++) {
				HttpResponse<String> answer = send(post("/v2/models/fraud/infer", token, INFER_BODY));
				assertThat(answer.statusCode()).as("request %d: %s", i, answer.body()).isEqualTo(200);
			}
			assertThat(attempts).as("no attempt goes to an ejected instance").hasValue(5);

			connection.sync().del(key);
			connection.sync()
				.zrem(InstanceAnnouncement.indexKey(controlPlane.redisPrefix(), "default"), "overloaded-one");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(metric("gateway_instances_ejected{pool=\"default\"}"))
					.as("the breaker of an instance no longer announced is dropped")
					.isZero());
		}
		finally {
			try (var connection = client.connect()) {
				connection.sync().del(key);
				connection.sync()
					.zrem(InstanceAnnouncement.indexKey(controlPlane.redisPrefix(), "default"), "overloaded-one");
			}
			client.shutdown();
			overloaded.stop(0);
		}
	}

	@Test
	void aRouteAnOperatorAddsByConfigurationIsServedByTheGenericChainBehindATokenCheck() throws Exception {
		HttpResponse<String> none = send(post("/scorers/external/score", null, "{}"));
		assertThat(none.statusCode()).isEqualTo(401);
		assertThat(none.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(send(post("/scorers/external/score", controlPlane.token("narrow", narrowSecret), "{}")).statusCode())
			.as("a token without the route's scope")
			.isEqualTo(403);
		assertThat(scorerAuthorizations).as("nothing refused reaches the scorer").isEmpty();

		HttpResponse<String> scored = send(
				post("/scorers/external/score", controlPlane.token("caller", callerSecret), "{}"));

		assertThat(scored.statusCode()).as(scored.body()).isEqualTo(200);
		assertThat(scored.body()).isEqualTo("{\"score\": 0.5}");
		assertThat(scored.headers().firstValue("RateLimit-Limit")).as("the caller's rate plan applies").isPresent();
		assertThat(scorerAuthorizations).as("the caller's token stays at the gateway").containsExactly("null");
		assertThat(prometheus()).contains("spring_cloud_gateway_requests_seconds_count{")
			.containsPattern("routeId=\"external-scorer\"")
			.doesNotContainPattern("routeId=\"infer\"");
	}

	@Test
	void aBodyOverTheLimitSentWithoutALengthIsRefused413AsAProblem() throws Exception {
		// A body from a stream has no Content-Length: the limit (1 MB here) is found
		// while
		// the body is read, after authentication.
		byte[] body = new byte[1536 * 1024];
		java.util.Arrays.fill(body, (byte) ' ');
		HttpResponse<String> answer = send(get("/v2/models/fraud/infer", controlPlane.token("caller", callerSecret))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))));

		assertThat(answer.statusCode()).isEqualTo(413);
		assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(answer.body()).contains("https://servinglayer.dev/problems/request-too-large")
			.contains("at most 1048576 bytes")
			.contains("\"error\"");
	}

	/**
	 * A server of the test's own that answers 200 after {@code millis}, counting its
	 * hits: a real instance cannot be made slow on purpose.
	 */
	private static com.sun.net.httpserver.HttpServer slowStandIn(long millis,
			java.util.concurrent.atomic.AtomicInteger hits) throws java.io.IOException {
		com.sun.net.httpserver.HttpServer slow = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
		slow.createContext("/", (exchange) -> {
			hits.incrementAndGet();
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		slow.start();
		return slow;
	}

	/**
	 * Announces a stand-in of the test's own as an instance of {@code pool} with
	 * {@code readyVersion} warm, as a real instance does, for a minute.
	 */
	private static void announce(io.lettuce.core.api.StatefulRedisConnection<String, String> connection, String pool,
			String instanceId, int port, String readyVersion) {
		connection.sync()
			.set(InstanceAnnouncement.key(controlPlane.redisPrefix(), pool, instanceId),
					"{\"instanceId\": \"" + instanceId + "\", \"baseUrl\": \"http://127.0.0.1:" + port
							+ "\", \"pool\": \"" + pool + "\", \"readyVersions\": [\"" + readyVersion + "\"]}",
					io.lettuce.core.SetArgs.Builder.ex(60));
		connection.sync()
			.zadd(InstanceAnnouncement.indexKey(controlPlane.redisPrefix(), pool), System.currentTimeMillis() + 60_000,
					instanceId);
	}

	@Test
	void refusedCredentialsAreCountedByReasonOnBothPathsAndNeverByWho() throws Exception {
		String narrow = controlPlane.token("narrow", narrowSecret);
		double missing = refused("missing");
		double malformed = refused("malformed");
		double invalid = refused("invalid");
		double insufficient = refused("insufficient_scope");

		assertThat(send(post("/v2/models/fraud/infer", null, INFER_BODY)).statusCode()).isEqualTo(401);
		assertThat(send(get("/v2/models/fraud", null)).statusCode()).isEqualTo(401);
		// Another scheme carries no bearer token: missing, as its 401 says.
		assertThat(send(post("/v2/models/fraud/infer", null, INFER_BODY).header("Authorization", "Basic Zm9vOmJhcg=="))
			.statusCode()).isEqualTo(401);
		assertThat(send(post("/v2/models/fraud/infer", null, INFER_BODY).header("Authorization", "Bearer two words"))
			.statusCode()).isEqualTo(401);
		assertThat(send(post("/v2/models/fraud/infer", "not-a-jwt", INFER_BODY)).statusCode()).isEqualTo(401);
		assertThat(send(post("/v2/models/fraud/infer", narrow, INFER_BODY)).statusCode()).isEqualTo(403);
		assertThat(send(get("/v2/models/fraud", narrow)).statusCode()).isEqualTo(403);

		assertThat(refused("missing")).isEqualTo(missing + 3);
		assertThat(refused("malformed")).isEqualTo(malformed + 1);
		assertThat(refused("invalid")).isEqualTo(invalid + 1);
		assertThat(refused("insufficient_scope")).isEqualTo(insufficient + 2);
		assertThat(prometheus().lines().filter((line) -> line.startsWith("gateway_access_refused_total")))
			.allSatisfy((line) -> assertThat(line).doesNotContain("narrow").doesNotContain("client"));
	}

	private double refused(String reason) throws Exception {
		return prometheus().lines()
			.filter((line) -> line.startsWith("gateway_access_refused_total{")
					&& line.contains("reason=\"" + reason + "\""))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim()))
			.sum();
	}

	private double metric(String series) throws Exception {
		String prefix = series + " ";
		return prometheus().lines()
			.filter((line) -> line.startsWith(prefix))
			.mapToDouble((line) -> Double.parseDouble(line.substring(prefix.length()).trim()))
			.findFirst()
			.orElse(0);
	}

	private String prometheus() throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.managementPort + "/actuator/prometheus"))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.https.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder get(String path, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + this.port + path));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return request;
	}

	private HttpRequest.Builder post(String path, String token, String body) {
		return get(path, token).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

}
