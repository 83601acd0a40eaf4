package io.servinglayer.controlplane.featureviewstatus;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;

import io.servinglayer.contracts.InstanceAnnouncement;
import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.controlplane.system.RedisNamespace;
import io.servinglayer.testsupport.TestModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A feature view's status, from the registry's bindings, the deployments routing them and
 * announcements written into Redis in the shape the inference service's
 * {@code InstanceAnnouncer} writes them (its {@code InstanceAnnouncerIntegrationTests}
 * asserts that shape, and the inference service's {@code PredictIntegrationTests} reads
 * this endpoint after real predictions).
 */
@ControlPlaneIntegrationTest
class FeatureViewStatusIntegrationTests {

	private static boolean registered;

	@Autowired
	AdminApi api;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	RedisNamespace namespace;

	@BeforeEach
	void cardFeaturesBoundToTwoFraudVersionsOneDeployed() throws Exception {
		if (registered) {
			return;
		}
		for (int version = 1; version <= 2; version++) {
			Response view = this.api.postJson("/api/v1/feature-views", """
					{"name": "card_features", "version": %d, "entityKeys": ["card_id"], "maxAgeSeconds": 600,
					 "features": [{"name": "account_age_days", "dtype": "FP32"},
					              {"name": "txn_count_24h", "dtype": "FP32"}]}""".formatted(version));
			assertThat(view.status()).as(view.toString()).isEqualTo(201);
		}
		assertThat(this.api
			.postJson("/api/v1/feature-views",
					"{\"name\": \"unused\", \"version\": 1, \"entityKeys\": [\"id\"], \"maxAgeSeconds\": 60,"
							+ " \"features\": [{\"name\": \"f\", \"dtype\": \"FP32\"}]}")
			.status()).isEqualTo(201);
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"fraud\"}").status()).isEqualTo(201);
		byte[] model = Files.readAllBytes(TestModels.fraudClassifier());
		for (int view = 1; view <= 2; view++) {
			Response uploaded = this.api.upload("fraud", model, """
					{"featureBinding": {"featureView": {"name": "card_features", "version": %d},
					 "requestFeatures": [{"name": "amount", "dtype": "FP32"}],
					 "inputs": {"input": ["account_age_days", "amount", "txn_count_24h"]}}}""".formatted(view));
			assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
		}
		Response deployed = this.api.send(this.api.request("/api/v1/deployments/fraud")
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers
				.ofString("{\"model\": \"fraud\", \"pool\": \"cards\", \"stableVersion\": 1}")));
		assertThat(deployed.status()).as(deployed.toString()).isEqualTo(201);
		registered = true;
	}

	@Test
	void addsUpWhatTheLiveInstancesOfTheDeployedPoolsMeasuredPerVersionOfTheView() {
		long live = System.currentTimeMillis() + 60_000;
		announce("cards", "i-1", live, """
				[{"name": "card_features", "version": 1, "cacheHits": 90, "cacheMisses": 10, "rowsRead": 100,
				  "rowAgeMillisSum": 200000, "oldestRowAgeMillis": 4000},
				 {"name": "other_view", "version": 1, "cacheHits": 5, "cacheMisses": 5, "rowsRead": 10,
				  "rowAgeMillisSum": 1000, "oldestRowAgeMillis": 100}]""");
		announce("cards", "i-2", live, """
				[{"name": "card_features", "version": 1, "cacheHits": 60, "cacheMisses": 40, "rowsRead": 100,
				  "rowAgeMillisSum": 400000, "oldestRowAgeMillis": 9000, "addedLater": true}]""");
		// An instance from before feature view readings: counted nowhere, read without
		// fail.
		announce("cards", "i-3", live, null);
		// A crashed instance, whose announcement expired: left out.
		announce("cards", "i-4", System.currentTimeMillis() - 1_000, """
				[{"name": "card_features", "version": 1, "cacheHits": 1000, "cacheMisses": 0, "rowsRead": 1000,
				  "rowAgeMillisSum": 1, "oldestRowAgeMillis": 1}]""");

		Response answer = this.api.get("/api/v1/feature-views/card_features/status");

		assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
		JsonNode status = answer.json();
		assertThat(status.path("name").asString()).isEqualTo("card_features");
		assertThat(status.path("observedAt").asString()).isNotBlank();
		JsonNode first = status.path("versions").get(0);
		assertThat(first.path("version").asInt()).isEqualTo(1);
		assertThat(first.path("boundBy").toString())
			.isEqualTo("[{\"model\":\"fraud\",\"modelVersion\":1,\"deployments\":[\"fraud\"]}]");
		JsonNode readings = first.path("readings");
		assertThat(readings.path("cacheHits").asLong()).isEqualTo(150);
		assertThat(readings.path("cacheMisses").asLong()).isEqualTo(50);
		assertThat(readings.path("cacheHitRatio").asDouble()).isCloseTo(0.75, within(1e-9));
		assertThat(readings.path("rowsRead").asLong()).isEqualTo(200);
		assertThat(readings.path("meanRowAgeSeconds").asDouble()).isCloseTo(3.0, within(1e-9));
		assertThat(readings.path("oldestRowAgeSeconds").asDouble()).isCloseTo(9.0, within(1e-9));
		assertThat(first.path("instances").findValuesAsString("instanceId")).containsExactly("i-1", "i-2");
		assertThat(first.path("instances").get(0).path("pool").asString()).isEqualTo("cards");
		assertThat(first.path("instances").get(0).path("readings").path("cacheHitRatio").asDouble()).isCloseTo(0.9,
				within(1e-9));

		JsonNode second = status.path("versions").get(1);
		assertThat(second.path("version").asInt()).isEqualTo(2);
		assertThat(second.path("boundBy").toString())
			.as("bound, but no deployment routes it, so no pool is read for it")
			.isEqualTo("[{\"model\":\"fraud\",\"modelVersion\":2,\"deployments\":[]}]");
		assertThat(second.path("readings").path("rowsRead").asLong()).isZero();
		assertThat(second.path("readings").path("cacheHitRatio").isNull()).isTrue();
		assertThat(second.path("instances").size()).isZero();
	}

	@Test
	void aViewNoModelBindsHasNoBindingsAndNoReadings() {
		JsonNode status = this.api.get("/api/v1/feature-views/unused/status").json();

		assertThat(status.path("versions").size()).isEqualTo(1);
		assertThat(status.path("versions").get(0).path("boundBy").size()).isZero();
		assertThat(status.path("versions").get(0).path("readings").path("meanRowAgeSeconds").isNull()).isTrue();
	}

	@Test
	void anUnknownViewIsA404ThatNamesIt() {
		Response answer = this.api.get("/api/v1/feature-views/nothing_here/status");

		assertThat(answer.status()).isEqualTo(404);
		assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
		assertThat(answer.json().path("detail").asString()).contains("nothing_here");
	}

	/**
	 * Writes an instance's announcement as {@code InstanceAnnouncer} does: the document
	 * under {@code instances:{{pool}}:{id}} and its id in the pool's index, scored by the
	 * epoch millis the announcement expires.
	 */
	private void announce(String pool, String instanceId, long expiresAtMillis, String featureViews) {
		String index = InstanceAnnouncement.indexKey(this.namespace.keyPrefix(), pool);
		String document = """
				{"instanceId": "%s", "baseUrl": "http://10.0.0.7:8082", "pool": "%s", "readyVersions": ["fraud/1"],
				 "versions": [{"deployment": "fraud", "version": 1, "state": "warm"}],
				 "announcedAt": "2026-12-02T10:00:00Z"%s}""".formatted(instanceId, pool,
				(featureViews != null) ? ", \"featureViews\": " + featureViews : "");
		this.redis.opsForValue().set(index + ":" + instanceId, document, Duration.ofMinutes(1));
		this.redis.opsForZSet().add(index, instanceId, expiresAtMillis);
	}

}
