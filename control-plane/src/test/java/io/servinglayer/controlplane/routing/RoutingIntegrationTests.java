package io.servinglayer.controlplane.routing;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.TestModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@ControlPlaneIntegrationTest
@TestPropertySource(properties = "servinglayer.control-plane.routing.long-poll-timeout=2s")
class RoutingIntegrationTests {

	private static boolean registered;

	@Autowired
	AdminApi api;

	@Autowired
	Environment environment;

	@BeforeEach
	void registerAModelBoundToAFeatureView() throws Exception {
		if (registered) {
			return;
		}
		this.api.postJson("/api/v1/feature-views",
				"""
						{"name": "card_features", "version": 1, "entityKeys": ["card_id"], "maxAgeSeconds": 600,
						 "features": [{"name": "account_age_days", "dtype": "FP32"}, {"name": "txn_count_24h", "dtype": "FP32"}]}""");
		this.api.postJson("/api/v1/models", "{\"name\":\"fraud\"}");
		byte[] model = Files.readAllBytes(TestModels.fraudClassifier());
		String binding = """
				{"featureBinding": {"featureView": {"name": "card_features", "version": 1},
				 "requestFeatures": [{"name": "amount", "dtype": "FP32"}],
				 "inputs": {"input": ["account_age_days", "amount", "txn_count_24h"]}}}""";
		assertThat(this.api.upload("fraud", model, binding).status()).isEqualTo(201);
		assertThat(this.api.upload("fraud", model, null).status()).isEqualTo(201);
		registered = true;
	}

	@Test
	void theSnapshotCarriesDeploymentsVersionsFeatureViewsAndClientsUnderItsRevision() {
		put("fraud",
				"{\"model\": \"fraud\", \"stableVersion\": 1, \"canary\": {\"version\": 2, \"weightBasisPoints\": 1000}}",
				null);

		Response routing = this.api.get("/api/v1/routing");

		assertThat(routing.status()).isEqualTo(200);
		JsonNode snapshot = routing.json();
		assertThat(routing.header("ETag")).isEqualTo("\"" + snapshot.path("revision").asLong() + "\"");
		JsonNode deployment = find(snapshot.path("deployments"), "fraud");
		assertThat(deployment.path("stable").path("version").asInt()).isEqualTo(1);
		assertThat(deployment.path("stable").path("digest").asString()).hasSize(64);
		assertThat(deployment.path("stable").path("artifactPath").asString())
			.isEqualTo("/api/v1/models/fraud/versions/1/artifact");
		assertThat(deployment.path("stable").path("signature").path("inputs").get(0).path("name").asString())
			.isEqualTo("input");
		assertThat(deployment.path("canary").path("version").asInt()).isEqualTo(2);
		assertThat(deployment.path("canaryWeightBasisPoints").asInt()).isEqualTo(1000);
		assertThat(deployment.path("salt").asString()).isNotEmpty();
		assertThat(snapshot.path("featureViews").get(0).path("name").asString()).isEqualTo("card_features");
		assertThat(snapshot.path("clients").toString()).contains(ControlPlaneIntegrationTest.ADMIN_CLIENT)
			.doesNotContain("secret");

		Response unchanged = this.api.get("/api/v1/routing", "If-None-Match", routing.header("ETag"));
		assertThat(unchanged.status()).isEqualTo(304);
	}

	@Test
	void aLongPollWaitsForTheNextRevisionAndAnswers304WhenNoneComes() throws Exception {
		long revision = this.api.get("/api/v1/routing").json().path("revision").asLong();

		Response idle = this.api.get("/api/v1/routing?after=" + revision);
		assertThat(idle.status()).isEqualTo(304);

		ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			CompletableFuture<Response> waiting = CompletableFuture
				.supplyAsync(() -> this.api.get("/api/v1/routing?after=" + revision), pool);
			put("long-polled", "{\"model\": \"fraud\", \"stableVersion\": 1}", null);
			Response woken = waiting.get(10, TimeUnit.SECONDS);
			assertThat(woken.status()).as(woken.toString()).isEqualTo(200);
			assertThat(woken.json().path("revision").asLong()).isGreaterThan(revision);
			assertThat(find(woken.json().path("deployments"), "long-polled").isMissingNode()).isFalse();
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void announcesEachCommittedRevisionOnTheRedisChannel() throws Exception {
		BlockingQueue<String> messages = new LinkedBlockingQueue<>();
		RedisClient client = RedisClient.create(RedisURI.builder()
			.withHost(this.environment.getProperty("spring.data.redis.host"))
			.withPort(this.environment.getProperty("spring.data.redis.port", Integer.class))
			.withTimeout(Duration.ofSeconds(2))
			.build());
		try (StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub()) {
			connection.addListener(new RedisPubSubAdapter<>() {
				@Override
				public void message(String channel, String message) {
					messages.add(message);
				}
			});
			connection.sync().subscribe(this.environment.getProperty("servinglayer.redis.key-prefix") + "routing");

			Response created = put("announced", "{\"model\": \"fraud\", \"stableVersion\": 1}", null);
			assertThat(created.status()).isEqualTo(201);
			long revision = this.api.get("/api/v1/routing").json().path("revision").asLong();

			assertThat(messages.poll(5, TimeUnit.SECONDS)).isEqualTo(Long.toString(revision));
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void theDataPlaneScopeReadsTheSnapshotAndTheArtifactsItNamesAndNothingElse() {
		String secret = this.api
			.postJson("/api/v1/clients",
					"{\"clientId\":\"gateway-1\",\"scopes\":[\"routing:read\"],\"tenant\":\"platform\"}")
			.json()
			.path("clientSecret")
			.asString();
		AdminApi dataPlane = this.api.as(this.api.token("gateway-1", secret));

		assertThat(dataPlane.get("/api/v1/routing").status()).isEqualTo(200);
		assertThat(dataPlane.get("/api/v1/models").status()).isEqualTo(403);
		assertThat(dataPlane.get("/api/v1/models/fraud/versions/1/artifact").status()).isEqualTo(200);
		assertThat(dataPlane.get("/api/v1/models/fraud/versions/1").status()).isEqualTo(403);
		assertThat(dataPlane.get("/api/v1/deployments").status()).isEqualTo(403);
	}

	private Response put(String name, String spec, String ifMatch) {
		var request = this.api.request("/api/v1/deployments/" + name).header("Content-Type", "application/json");
		if (ifMatch != null) {
			request.header("If-Match", ifMatch);
		}
		return this.api.send(request.PUT(java.net.http.HttpRequest.BodyPublishers.ofString(spec)));
	}

	private static JsonNode find(JsonNode deployments, String name) {
		for (JsonNode deployment : deployments) {
			if (deployment.path("name").asString().equals(name)) {
				return deployment;
			}
		}
		return tools.jackson.databind.node.MissingNode.getInstance();
	}

}
