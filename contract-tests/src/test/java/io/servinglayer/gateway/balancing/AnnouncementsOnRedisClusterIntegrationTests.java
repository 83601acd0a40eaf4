package io.servinglayer.gateway.balancing;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.lettuce.core.cluster.SlotHash;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servinglayer.contracts.InstanceAnnouncement;
import io.servinglayer.gateway.system.RedisLink;
import io.servinglayer.gateway.system.RedisSettings;
import io.servinglayer.inferenceservice.announce.AnnouncementSettings;
import io.servinglayer.inferenceservice.announce.InstanceAnnouncer;
import io.servinglayer.routingclient.SharedRedisClient;
import io.servinglayer.testsupport.TestRedisCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Inference instances announce themselves on a three-master Redis Cluster (the document
 * and the pool's index in one script, in the slot of the pool's hash tag) and the
 * gateway's directory finds them there, until they withdraw.
 */
@Tag("redis-cluster")
class AnnouncementsOnRedisClusterIntegrationTests {

	private final TestRedisCluster cluster = TestRedisCluster.get();

	@Test
	void instancesAnnouncedOnTheClusterAreTheOnesTheGatewayRoutesToUntilTheyWithdraw() {
		String prefix = this.cluster.newKeyPrefix();
		assertThat(SlotHash.getSlot(InstanceAnnouncement.key(prefix, "default", "i-1")))
			.isEqualTo(SlotHash.getSlot(InstanceAnnouncement.indexKey(prefix, "default")));
		BalancingSettings settings = new BalancingSettings(Duration.ofSeconds(1), Duration.ofMillis(800),
				Duration.ofSeconds(30), 10, Duration.ofSeconds(1), 5, Duration.ofSeconds(5), Duration.ofSeconds(60),
				50);
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (SharedRedisClient instances = SharedRedisClient.create(this.cluster.uri(), true, Duration.ofSeconds(1));
				RedisLink gateway = new RedisLink(new RedisSettings(this.cluster.uri(), prefix, Duration.ofMillis(500),
						Duration.ofSeconds(1), true))) {
			gateway.start();
			InstanceAnnouncer first = announcer(instances, prefix, "i-1", 9001, "default", List.of("fraud/1"));
			InstanceAnnouncer second = announcer(instances, prefix, "i-2", 9002, "default", List.of("fraud/1"));
			InstanceAnnouncer elsewhere = announcer(instances, prefix, "i-3", 9003, "cards", List.of("cards/4"));
			InstanceDirectory directory = new InstanceDirectory(gateway, () -> Set.of("default", "cards"), settings,
					Clock.systemUTC(), new InstanceBreakers(settings, Clock.systemUTC(), meters), meters);
			try {
				await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
					directory.refresh();
					assertThat(directory.ready("fraud", 1)).extracting(Instance::instanceId)
						.containsExactlyInAnyOrder("i-1", "i-2");
					assertThat(directory.ready("cards", 4)).extracting(Instance::baseUrl)
						.containsExactly("http://127.0.0.1:9003");
				});

				second.close();
				directory.refresh();
				assertThat(directory.ready("fraud", 1)).extracting(Instance::instanceId).containsExactly("i-1");
			}
			finally {
				first.close();
				second.close();
				elsewhere.close();
				directory.close();
			}
		}
	}

	private static InstanceAnnouncer announcer(SharedRedisClient redis, String prefix, String id, int port, String pool,
			List<String> ready) {
		InstanceAnnouncer announcer = new InstanceAnnouncer(new AnnouncementSettings(id, "http://127.0.0.1:" + port,
				prefix, Duration.ofMillis(200), Duration.ofSeconds(5)), pool, redis, () -> ready, List::of, List::of,
				Clock.systemUTC());
		announcer.start();
		return announcer;
	}

}
