package io.servinglayer.controlplane.revision;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.servinglayer.contracts.RoutingRevisionChannel;
import io.servinglayer.controlplane.system.RedisNamespace;
import io.servinglayer.routingclient.SharedRedisClient;
import io.servinglayer.controlplane.ControlPlaneOnCluster;
import io.servinglayer.testsupport.TestRedisCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routing revisions on a three-master Redis Cluster: what the control plane publishes
 * reaches a data-plane service's subscription, whichever node each is connected to.
 */
@Tag("redis-cluster")
class RoutingRevisionsOnRedisClusterIntegrationTests {

	private final TestRedisCluster cluster = TestRedisCluster.get();

	@Test
	void aRevisionTheControlPlanePublishesReachesASubscriberOfTheCluster() {
		String prefix = this.cluster.newKeyPrefix();
		LettuceConnectionFactory connections = ControlPlaneOnCluster.connections(this.cluster);
		StringRedisTemplate template = ControlPlaneOnCluster.template(connections);
		RevisionAnnouncer announcer = new RevisionAnnouncer(template, new RedisNamespace(prefix));
		List<String> heard = new CopyOnWriteArrayList<>();
		try (SharedRedisClient client = SharedRedisClient.create(this.cluster.uri(), true, Duration.ofSeconds(1));
				StatefulRedisPubSubConnection<String, String> subscription = client
					.connectPubSub(Duration.ofSeconds(2))) {
			subscription.addListener(new RedisPubSubAdapter<>() {
				@Override
				public void message(String channel, String message) {
					heard.add(channel + "=" + message);
				}
			});
			subscription.sync().subscribe(RoutingRevisionChannel.channel(prefix));

			announcer.announce(42);

			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(heard).containsExactly(prefix + "routing=42"));
		}
		finally {
			announcer.destroy();
			connections.destroy();
		}
	}

}
