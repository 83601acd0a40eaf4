package io.servinglayer.inferenceservice.announce;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.servinglayer.contracts.InstanceAnnouncement;
import io.servinglayer.inferenceservice.serving.VersionState;
import io.servinglayer.inferenceservice.serving.VersionStatus;
import io.servinglayer.testsupport.TestRedis;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class InstanceAnnouncerIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void announcesItsReadyVersionsUnderAShortTtlInThePoolIndexAndWithdrawsBothOnShutdown() {
		TestRedis redis = TestRedis.get();
		String prefix = redis.newKeyPrefix();
		String uri = "redis://" + redis.host() + ":" + redis.port();
		List<String> ready = new CopyOnWriteArrayList<>(List.of("fraud/1"));
		RedisClient client = RedisClient.create(RedisURI.create(uri));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			InstanceAnnouncer announcer = new InstanceAnnouncer(
					new AnnouncementSettings("i-1", "http://127.0.0.1:9999", prefix, Duration.ofMillis(100),
							Duration.ofSeconds(3)),
					"default", uri, () -> List.copyOf(ready), List::of, Clock.systemUTC());
			announcer.start();
			assertThat(announcer.key()).isEqualTo(prefix + "instances:{default}:i-1");

			await().atMost(Duration.ofSeconds(5)).until(() -> connection.sync().get(announcer.key()) != null);
			JsonNode document = json.readTree(connection.sync().get(announcer.key()));
			assertThat(document.path("baseUrl").asString()).isEqualTo("http://127.0.0.1:9999");
			assertThat(document.path("readyVersions").toString()).isEqualTo("[\"fraud/1\"]");
			assertThat(connection.sync().pttl(announcer.key())).isBetween(1L, 3000L);
			assertThat(announcer.indexKey()).isEqualTo(prefix + "instances:{default}");
			Double expiresAt = connection.sync().zscore(announcer.indexKey(), "i-1");
			assertThat(expiresAt).isNotNull();
			assertThat(expiresAt.longValue() - System.currentTimeMillis()).isBetween(0L, 3000L);

			ready.add("fraud/2");
			await().atMost(Duration.ofSeconds(5))
				.until(() -> connection.sync().get(announcer.key()).contains("fraud/2"));

			announcer.close();
			assertThat(connection.sync().exists(announcer.key())).isZero();
			assertThat(connection.sync().zscore(announcer.indexKey(), "i-1")).isNull();
		}
		finally {
			client.shutdown();
		}
	}

	/**
	 * The shape the control plane reads into a deployment's status; its
	 * DeploymentStatusIntegrationTests writes documents of exactly this shape.
	 */
	@Test
	void announcesTheStateOfEveryAssignedVersionWithTheReasonOfAFailure() {
		TestRedis redis = TestRedis.get();
		String prefix = redis.newKeyPrefix();
		String uri = "redis://" + redis.host() + ":" + redis.port();
		List<VersionStatus> statuses = List.of(new VersionStatus("fraud", 2, "sha256:b", VersionState.LOADING, null),
				new VersionStatus("churn", 1, "sha256:c", VersionState.READY, null),
				new VersionStatus("fraud", 3, "sha256:d", VersionState.FAILED, "digest mismatch"),
				new VersionStatus("fraud", 1, "sha256:a", VersionState.READY, null));
		RedisClient client = RedisClient.create(RedisURI.create(uri));
		try (StatefulRedisConnection<String, String> connection = client.connect();
				InstanceAnnouncer announcer = new InstanceAnnouncer(
						new AnnouncementSettings("i-1", "http://127.0.0.1:9999", prefix, Duration.ofMillis(100),
								Duration.ofSeconds(3)),
						"default", uri, () -> List.of("churn/1", "fraud/1"), () -> statuses, Clock.systemUTC())) {
			announcer.start();

			await().atMost(Duration.ofSeconds(5)).until(() -> connection.sync().get(announcer.key()) != null);
			JsonNode document = json.readTree(connection.sync().get(announcer.key()));

			assertThat(document.path("readyVersions").toString()).isEqualTo("[\"churn/1\",\"fraud/1\"]");
			assertThat(document.path("versions")).isEqualTo(json.readTree("""
					[{"deployment": "churn", "version": 1, "state": "warm"},
					 {"deployment": "fraud", "version": 1, "state": "warm"},
					 {"deployment": "fraud", "version": 2, "state": "loading"},
					 {"deployment": "fraud", "version": 3, "state": "failed", "reason": "digest mismatch"}]"""));
			assertThat(document.path("pool").asString()).isEqualTo("default");
			assertThat(document.path("instanceId").asString()).isEqualTo("i-1");
			assertThat(document.path("announcedAt").asString()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
		}
		finally {
			client.shutdown();
		}
	}

	/**
	 * The feature view readings the control plane adds up into a view's status; its
	 * FeatureViewStatusIntegrationTests writes documents of this shape.
	 */
	@Test
	void announcesTheFeatureViewReadingsOnceThereAreAnyAndLeavesTheMemberOutBefore() {
		TestRedis redis = TestRedis.get();
		String prefix = redis.newKeyPrefix();
		String uri = "redis://" + redis.host() + ":" + redis.port();
		AtomicReference<List<InstanceAnnouncement.FeatureViewReading>> readings = new AtomicReference<>(List.of());
		RedisClient client = RedisClient.create(RedisURI.create(uri));
		try (StatefulRedisConnection<String, String> connection = client.connect();
				InstanceAnnouncer announcer = new InstanceAnnouncer(
						new AnnouncementSettings("i-1", "http://127.0.0.1:9999", prefix, Duration.ofMillis(100),
								Duration.ofSeconds(3)),
						"default", uri, () -> List.of("fraud/1"), List::of, readings::get, Clock.systemUTC())) {
			announcer.start();
			await().atMost(Duration.ofSeconds(5)).until(() -> !announced(connection, announcer).isEmpty());
			assertThat(json.readTree(announced(connection, announcer)).has("featureViews")).isFalse();

			readings.set(List.of(new InstanceAnnouncement.FeatureViewReading("cards", 1, 9, 1, 10, 25_000, 4_000)));

			await().atMost(Duration.ofSeconds(5))
				.until(() -> announced(connection, announcer).contains("featureViews"));
			assertThat(json.readTree(announced(connection, announcer)).path("featureViews")).isEqualTo(json.readTree("""
					[{"name": "cards", "version": 1, "cacheHits": 9, "cacheMisses": 1, "rowsRead": 10,
					  "rowAgeMillisSum": 25000, "oldestRowAgeMillis": 4000}]"""));
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void announcesAChangeOfStateAtOnceRatherThanAtTheNextHeartbeat() {
		TestRedis redis = TestRedis.get();
		String prefix = redis.newKeyPrefix();
		String uri = "redis://" + redis.host() + ":" + redis.port();
		AtomicReference<List<VersionStatus>> statuses = new AtomicReference<>(
				List.of(new VersionStatus("fraud", 2, "sha256:b", VersionState.LOADING, null)));
		RedisClient client = RedisClient.create(RedisURI.create(uri));
		// A heartbeat far longer than the test waits: only the change check can announce
		// the new state in time.
		try (StatefulRedisConnection<String, String> connection = client.connect();
				InstanceAnnouncer announcer = new InstanceAnnouncer(new AnnouncementSettings("i-1",
						"http://127.0.0.1:9999", prefix, Duration.ofMinutes(10), Duration.ofMinutes(20)), "default",
						uri, List::of, statuses::get, Clock.systemUTC())) {
			announcer.start();
			await().atMost(Duration.ofSeconds(5)).until(() -> announced(connection, announcer).contains("loading"));

			statuses.set(List.of(new VersionStatus("fraud", 2, "sha256:b", VersionState.FAILED,
					"warm-up failed: " + "x".repeat(2 * InstanceAnnouncer.MAX_REASON_LENGTH))));

			await().atMost(Duration.ofSeconds(5)).until(() -> announced(connection, announcer).contains("failed"));
			JsonNode version = json.readTree(announced(connection, announcer)).path("versions").get(0);
			assertThat(version.path("state").asString()).isEqualTo("failed");
			assertThat(version.path("reason").asString()).startsWith("warm-up failed: xxx")
				.hasSize(InstanceAnnouncer.MAX_REASON_LENGTH);
		}
		finally {
			client.shutdown();
		}
	}

	private static String announced(StatefulRedisConnection<String, String> connection, InstanceAnnouncer announcer) {
		String document = connection.sync().get(announcer.key());
		return (document != null) ? document : "";
	}

}
