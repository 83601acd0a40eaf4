package io.servinglayer.controlplane.deploymentstatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.servinglayer.controlplane.system.RedisNamespace;
import io.servinglayer.inferenceservice.announce.AnnouncementSettings;
import io.servinglayer.inferenceservice.announce.InstanceAnnouncer;
import io.servinglayer.inferenceservice.serving.VersionState;
import io.servinglayer.inferenceservice.serving.VersionStatus;
import io.servinglayer.routingclient.SharedRedisClient;
import io.servinglayer.controlplane.ControlPlaneOnCluster;
import io.servinglayer.testsupport.TestRedisCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Instance announcements on a three-master Redis Cluster, read by the control plane for a
 * deployment's status.
 */
@Tag("redis-cluster")
class InstanceStatesOnRedisClusterIntegrationTests {

	private final TestRedisCluster cluster = TestRedisCluster.get();

	@Test
	void theControlPlaneReadsTheStatesInstancesAnnounceOnTheCluster() {
		String prefix = this.cluster.newKeyPrefix();
		LettuceConnectionFactory connections = ControlPlaneOnCluster.connections(this.cluster);
		StringRedisTemplate template = ControlPlaneOnCluster.template(connections);
		InstanceAnnouncements announcements = new InstanceAnnouncements(template, new RedisNamespace(prefix),
				JsonMapper.builder().build());
		try (SharedRedisClient redis = SharedRedisClient.create(this.cluster.uri(), true, Duration.ofSeconds(1));
				InstanceAnnouncer announcer = new InstanceAnnouncer(
						new AnnouncementSettings(
								"i-1", "http://127.0.0.1:9001", prefix, Duration.ofMillis(200), Duration.ofSeconds(5)),
						"default", redis, () -> List.of("fraud/1"),
						() -> List.of(new VersionStatus("fraud", 1, "sha256:a", VersionState.READY, null),
								new VersionStatus("fraud", 2, "sha256:b", VersionState.FAILED, "warm-up failed")),
						List::of, Clock.systemUTC())) {
			announcer.start();

			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				var live = announcements.live("default", Instant.now());
				assertThat(live).containsOnlyKeys("i-1");
				assertThat(live.get("i-1").versions())
					.extracting((version) -> version.version() + " " + version.state())
					.containsExactly("1 warm", "2 failed");
			});
		}
		finally {
			connections.destroy();
		}
	}

}
