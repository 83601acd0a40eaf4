package io.servinglayer.controlplane.deployment;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.TestModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

@ControlPlaneIntegrationTest
class DeploymentsIntegrationTests {

	private static final String FRAUD = """
			{"model": "fraud", "pool": "default", "stableVersion": 1,
			 "canary": {"version": 2, "weightBasisPoints": 1000},
			 "shadow": {"version": 3, "percent": 5},
			 "stickyKey": "client", "timeoutMs": 2000,
			 "batching": {"maxBatchSize": 32, "maxQueueDelayMicros": 2000}}""";

	private static boolean registered;

	@Autowired
	AdminApi api;

	@Autowired
	JdbcClient jdbc;

	@BeforeEach
	void registerFraudWithFourVersions() throws Exception {
		if (registered) {
			return;
		}
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"fraud\"}").status()).isEqualTo(201);
		byte[] model = Files.readAllBytes(TestModels.fraudClassifier());
		for (int i = 0; i < 4; i++) {
			assertThat(this.api.upload("fraud", model, null).status()).isEqualTo(201);
		}
		assertThat(this.api.post("/api/v1/models/fraud/versions/4:archive").status()).isEqualTo(200);
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"other\"}").status()).isEqualTo(201);
		assertThat(this.api.upload("other", model, null).status()).isEqualTo(201);
		registered = true;
	}

	@Test
	void createsADeploymentWithoutIfMatchAndFillsDefaults() {
		long revisionBefore = routingRevision();

		Response created = put("created", "{\"model\": \"fraud\", \"stableVersion\": 1}");

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.header("ETag")).isEqualTo("\"1\"");
		JsonNode body = created.json();
		assertThat(body.path("pool").asString()).isEqualTo("default");
		assertThat(body.path("stickyKey").asString()).isEqualTo("client");
		assertThat(body.path("timeoutMs").asInt()).isEqualTo(2000);
		assertThat(body.path("batching").path("maxBatchSize").asInt()).isEqualTo(32);
		assertThat(body.path("batching").path("maxQueueDelayMicros").asInt()).isZero();
		assertThat(body.path("canary").isNull()).isTrue();
		assertThat(routingRevision()).isEqualTo(revisionBefore + 1);
		assertThat(this.api.get("/api/v1/deployments/created").json().path("stableVersion").asInt()).isEqualTo(1);
	}

	@Test
	void replacingNeedsTheCurrentETagAndTheLoserOfARaceGets412() {
		String etag = put("raced", FRAUD).header("ETag");

		assertThat(put("raced", FRAUD.replace("1000", "2000")).status()).isEqualTo(428);
		Response first = put("raced", FRAUD.replace("1000", "2000"), "If-Match", etag);
		Response second = put("raced", FRAUD.replace("1000", "3000"), "If-Match", etag);

		assertThat(first.status()).isEqualTo(200);
		assertThat(first.header("ETag")).isEqualTo("\"2\"");
		assertThat(second.status()).isEqualTo(412);
		assertThat(this.api.get("/api/v1/deployments/raced").json().path("canary").path("weightBasisPoints").asInt())
			.isEqualTo(2000);
	}

	@Test
	void putTingTheSameSpecAgainChangesNothing() {
		String etag = put("steady", FRAUD).header("ETag");
		long revision = routingRevision();

		Response again = put("steady", FRAUD, "If-Match", etag);

		assertThat(again.status()).isEqualTo(200);
		assertThat(again.header("ETag")).isEqualTo(etag);
		assertThat(routingRevision()).isEqualTo(revision);
	}

	static Stream<Arguments> invalidSpecs() {
		return Stream.of(Arguments.of("unknown model", FRAUD.replace("\"fraud\"", "\"ghost\""), "model"),
				Arguments.of("unknown stable version", FRAUD.replace("\"stableVersion\": 1", "\"stableVersion\": 9"),
						"stableVersion"),
				Arguments.of("archived canary", FRAUD.replace("\"version\": 2", "\"version\": 4"), "canary.version"),
				Arguments.of("canary equal to stable", FRAUD.replace("\"version\": 2", "\"version\": 1"),
						"canary.version"),
				Arguments.of("weight above 10000", FRAUD.replace("1000", "10001"), "canary.weightBasisPoints"),
				Arguments.of("shadow percent above 100", FRAUD.replace("\"percent\": 5", "\"percent\": 101"),
						"shadow.percent"),
				Arguments.of("version of another model", FRAUD.replace("\"model\": \"fraud\"", "\"model\": \"other\""),
						"canary.version"),
				Arguments.of("unknown sticky key", FRAUD.replace("\"client\"", "\"cookie\""), "stickyKey"),
				Arguments.of("zero timeout", FRAUD.replace("\"timeoutMs\": 2000", "\"timeoutMs\": 0"), "timeoutMs"),
				Arguments.of("empty batch", FRAUD.replace("\"maxBatchSize\": 32", "\"maxBatchSize\": 0"),
						"batching.maxBatchSize"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidSpecs")
	void rejectsAnInvalidSpecNamingTheFieldAndChangingNothing(String description, String spec, String field) {
		long revision = routingRevision();

		Response response = put("invalid", spec);

		assertThat(response.status()).as(response.toString()).isEqualTo(422);
		List<String> fields = new ArrayList<>();
		response.json().path("errors").forEach((error) -> fields.add(error.path("field").asString()));
		assertThat(fields).contains(field);
		assertThat(routingRevision()).isEqualTo(revision);
		assertThat(this.api.get("/api/v1/deployments/invalid").status()).isEqualTo(404);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "\"1\"", "\"one\"", "1.5", "true", "[1]" })
	void aStableVersionThatIsNotAWholeNumberIsABadRequestNamingIt(String stableVersion) {
		long revision = routingRevision();

		String name = "typed-" + Math.abs(stableVersion.hashCode());
		Response response = put(name, "{\"model\": \"fraud\", \"stableVersion\": " + stableVersion + "}");

		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("stableVersion");
		assertThat(response.json().path("detail").asString()).isEqualTo("stableVersion: must be a whole number");
		assertThat(routingRevision()).isEqualTo(revision);
		assertThat(this.api.get("/api/v1/deployments/" + name).status()).isEqualTo(404);
	}

	@Test
	void refusesTheNamePinnedWhoseScopeMeansPinnedVersionsAtTheGateway() {
		long revision = routingRevision();

		Response response = put("pinned", FRAUD);

		assertThat(response.status()).as(response.toString()).isEqualTo(422);
		assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("name");
		assertThat(routingRevision()).isEqualTo(revision);
		assertThat(this.api.get("/api/v1/deployments/pinned").status()).isEqualTo(404);
	}

	@Test
	void aDryRunAnswersTheDiffAndChangesNothing() {
		String etag = put("planned", FRAUD).header("ETag");
		long revision = routingRevision();
		String snapshot = this.api.get("/api/v1/routing").body();

		Response dryRun = this.api.send(this.api.request("/api/v1/deployments/planned?dryRun=true", "If-Match", etag)
			.header("Content-Type", "application/json")
			.PUT(java.net.http.HttpRequest.BodyPublishers.ofString(FRAUD.replace("1000", "2500"))));

		assertThat(dryRun.status()).as(dryRun.toString()).isEqualTo(200);
		assertThat(dryRun.json().path("dryRun").asBoolean()).isTrue();
		JsonNode changes = dryRun.json().path("changes");
		assertThat(changes.size()).isEqualTo(1);
		assertThat(changes.get(0).path("field").asString()).isEqualTo("canary.weightBasisPoints");
		assertThat(changes.get(0).path("before").asInt()).isEqualTo(1000);
		assertThat(changes.get(0).path("after").asInt()).isEqualTo(2500);
		assertThat(routingRevision()).isEqualTo(revision);
		assertThat(this.api.get("/api/v1/routing").body()).isEqualTo(snapshot);
		assertThat(this.api.get("/api/v1/deployments/planned").header("ETag")).isEqualTo(etag);
	}

	@Test
	void rollbackRestoresTheExactPreviousStateAsANewRevision() {
		String etag = put("rolled", FRAUD).header("ETag");
		JsonNode original = this.api.get("/api/v1/deployments/rolled").json();
		put("rolled", FRAUD.replace("1000", "5000").replace("\"percent\": 5", "\"percent\": 50"), "If-Match", etag);
		long revision = routingRevision();

		Response rolledBack = this.api.post("/api/v1/deployments/rolled:rollback");

		assertThat(rolledBack.status()).as(rolledBack.toString()).isEqualTo(200);
		assertThat(rolledBack.header("ETag")).isEqualTo("\"3\"");
		for (String field : List.of("model", "pool", "stableVersion", "canary", "shadow", "stickyKey", "timeoutMs",
				"batching")) {
			assertThat(rolledBack.json().path(field)).as(field).isEqualTo(original.path(field));
		}
		assertThat(routingRevision()).isEqualTo(revision + 1);
		JsonNode history = this.api.get("/api/v1/deployments/rolled/history").json();
		assertThat(history.size()).isEqualTo(3);
		assertThat(history.get(0).path("revision").asLong()).isEqualTo(3);
		assertThat(history.get(0).path("spec").path("canary").path("weightBasisPoints").asInt()).isEqualTo(1000);
		assertThat(this.api.post("/api/v1/deployments/nowhere:rollback").status()).isEqualTo(404);
		String fresh = put("fresh", FRAUD).header("ETag");
		assertThat(this.api.post("/api/v1/deployments/fresh:rollback", "If-Match", fresh).status()).isEqualTo(409);
	}

	@Test
	void revisionsStayMonotonicAndGapFreeUnderEightConcurrentWriters() throws Exception {
		long start = routingRevision();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<List<Integer>>> writers = new ArrayList<>();
		try {
			for (int w = 0; w < 8; w++) {
				String name = "writer-" + w;
				Callable<List<Integer>> writer = () -> {
					List<Integer> statuses = new ArrayList<>();
					String etag = null;
					for (int i = 0; i < 5; i++) {
						Response response = (etag == null) ? put(name, FRAUD.replace("1000", Integer.toString(100 + i)))
								: put(name, FRAUD.replace("1000", Integer.toString(100 + i)), "If-Match", etag);
						statuses.add(response.status());
						etag = response.header("ETag");
					}
					return statuses;
				};
				writers.add(pool.submit(writer));
			}
			for (Future<List<Integer>> writer : writers) {
				assertThat(writer.get(120, TimeUnit.SECONDS)).allMatch((status) -> status == 200 || status == 201);
			}
		}
		finally {
			pool.shutdownNow();
		}
		List<Long> revisions = this.jdbc
			.sql("SELECT routing_revision FROM deployment_history WHERE name LIKE 'writer-%' ORDER BY routing_revision")
			.query(Long.class)
			.list();
		assertThat(revisions).hasSize(40);
		for (int i = 0; i < revisions.size(); i++) {
			assertThat(revisions.get(i)).isEqualTo(start + 1 + i);
		}
		assertThat(routingRevision()).isEqualTo(start + 40);
	}

	@Test
	void aServedVersionOrModelCannotBeArchived() {
		put("serving", FRAUD.replace("\"version\": 2", "\"version\": 3")
			.replace("\"shadow\": {\"version\": 3, \"percent\": 5},", ""));

		Response version = this.api.post("/api/v1/models/fraud/versions/3:archive");
		assertThat(version.status()).as(version.toString()).isEqualTo(409);
		assertThat(version.problemType()).isEqualTo("in-use");
		assertThat(version.json().path("detail").asString()).contains("serving");
		Response model = this.api.post("/api/v1/models/fraud:archive");
		assertThat(model.status()).isEqualTo(409);
		assertThat(this.api.get("/api/v1/models/fraud/versions/3").json().path("archived").asBoolean()).isFalse();
	}

	@Test
	void onlyDeployAndAdminScopesChangeDeployments() {
		String secret = this.api
			.postJson("/api/v1/clients",
					"{\"clientId\":\"writer-only\",\"scopes\":[\"registry:write\"],\"tenant\":\"t\"}")
			.json()
			.path("clientSecret")
			.asString();
		AdminApi writer = this.api.as(this.api.token("writer-only", secret));
		assertThat(writer
			.send(writer.request("/api/v1/deployments/denied")
				.header("Content-Type", "application/json")
				.PUT(java.net.http.HttpRequest.BodyPublishers.ofString(FRAUD)))
			.status()).isEqualTo(403);
		assertThat(writer.get("/api/v1/deployments").status()).isEqualTo(200);
	}

	private Response put(String name, String spec, String... headers) {
		return this.api.send(this.api.request("/api/v1/deployments/" + name, headers)
			.header("Content-Type", "application/json")
			.PUT(java.net.http.HttpRequest.BodyPublishers.ofString(spec)));
	}

	private long routingRevision() {
		return this.jdbc.sql("SELECT revision FROM routing_state").query(Long.class).single();
	}

}
