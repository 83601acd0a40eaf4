package io.servinglayer.inferenceservice.announce;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.servinglayer.testsupport.TestRedis;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class InstanceAnnouncerIntegrationTests {

	@Test
	void announcesItsReadyVersionsUnderAShortTtlInThePoolIndexAndWithdrawsBothOnShutdown() {
		TestRedis redis = TestRedis.get();
		String prefix = redis.newKeyPrefix();
		String uri = "redis://" + redis.host() + ":" + redis.port();
		List<String> ready = new CopyOnWriteArrayList<>(List.of("fraud/1"));
		RedisClient client = RedisClient.create(RedisURI.create(uri));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			InstanceAnnouncer announcer = new InstanceAnnouncer(new AnnouncementSettings("i-1", "http://127.0.0.1:9999",
					prefix, Duration.ofMillis(100), Duration.ofSeconds(3)), "default", uri, () -> List.copyOf(ready),
					Clock.systemUTC());
			announcer.start();
			assertThat(announcer.key()).isEqualTo(prefix + "instances:default:i-1");

			await().atMost(Duration.ofSeconds(5)).until(() -> connection.sync().get(announcer.key()) != null);
			JsonNode document = JsonMapper.builder().build().readTree(connection.sync().get(announcer.key()));
			assertThat(document.path("baseUrl").asString()).isEqualTo("http://127.0.0.1:9999");
			assertThat(document.path("readyVersions").toString()).isEqualTo("[\"fraud/1\"]");
			assertThat(connection.sync().pttl(announcer.key())).isBetween(1L, 3000L);
			assertThat(announcer.indexKey()).isEqualTo(prefix + "instances:default");
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

}
