package io.servinglayer.gateway.balancing;

import io.servinglayer.contracts.InstanceAnnouncement;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servinglayer.gateway.system.RedisLink;
import io.servinglayer.gateway.system.RedisSettings;
import io.servinglayer.testsupport.TestRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The instance table read from the pool index in a real Redis. */
class InstanceDirectoryIntegrationTests {

	/**
	 * An announcement as inference instances write it; the gateway routes by
	 * {@code readyVersions} and ignores the rest, such as each version's state.
	 */
	private static String announcement(String id, int port) {
		return announcement(id, "http://127.0.0.1:" + port);
	}

	private static String announcement(String id, String baseUrl) {
		return "{\"instanceId\": \"" + id + "\", \"baseUrl\": \"" + baseUrl
				+ "\", \"pool\": \"default\", \"readyVersions\": [\"fraud/1\"], "
				+ "\"versions\": [{\"deployment\": \"fraud\", \"version\": 1, \"state\": \"warm\"}, "
				+ "{\"deployment\": \"fraud\", \"version\": 2, \"state\": \"failed\", \"reason\": \"digest mismatch\"}], "
				+ "\"announcedAt\": \"2026-11-28T00:00:00Z\"}";
	}

	@Test
	void readsOnlyTheInstancesTheIndexListsAsUnexpiredAndPrunesLongExpiredOnes() {
		TestRedis redis = TestRedis.get();
		String prefix = redis.newKeyPrefix();
		try (RedisLink link = new RedisLink(new RedisSettings("redis://" + redis.host() + ":" + redis.port(), prefix,
				Duration.ofMillis(500), Duration.ofSeconds(1)))) {
			link.start();
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> link.connection().isOpen());
			var commands = link.connection().sync();
			long now = System.currentTimeMillis();
			String index = InstanceAnnouncement.indexKey(prefix, "default");
			commands.set(index + ":live", announcement("live", 1001));
			commands.zadd(index, now + 60_000, "live");
			// Expired moments ago: skipped, kept in the index for now.
			commands.set(index + ":late", announcement("late", 1002));
			commands.zadd(index, now - 1_000, "late");
			// Expired long ago: removed from the index.
			commands.zadd(index, now - 3_600_000, "gone");
			// At a URL no connection can be opened to (an underscore leaves it no host).
			commands.set(index + ":unnamed", announcement("unnamed", "http://inference_a:8082"));
			commands.zadd(index, now + 60_000, "unnamed");
			// Announced without an index entry: not an instance the gateway knows of.
			commands.set(index + ":unindexed", announcement("unindexed", 1003));

			BalancingSettings settings = new BalancingSettings(Duration.ofSeconds(1), Duration.ofMillis(800),
					Duration.ofSeconds(30), 10, Duration.ofSeconds(1), 5, Duration.ofSeconds(5), Duration.ofSeconds(60),
					50);
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			InstanceDirectory directory = new InstanceDirectory(link, () -> Set.of("default"), settings,
					Clock.systemUTC(), new InstanceBreakers(settings, Clock.systemUTC(), meters), meters);
			assertThat(meters.get("gateway.instances.age").gauge().value()).as("before the first read").isNaN();
			directory.refresh();
			assertThat(meters.get("gateway.instances.age").gauge().value()).isBetween(0.0, 5.0);

			assertThat(directory.ready("fraud", 1)).extracting(Instance::instanceId).containsExactly("live");
			assertThat(directory.ready("fraud", 2)).isEmpty();
			assertThat(commands.zscore(index, "gone")).isNull();
			assertThat(commands.zscore(index, "late")).isNotNull();
			directory.close();
		}
	}

}
