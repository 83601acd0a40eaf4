package io.servinglayer.controlplane.outcomes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.lettuce.core.cluster.SlotHash;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servinglayer.contracts.OutcomeBucket;
import io.servinglayer.controlplane.system.RedisNamespace;
import io.servinglayer.gateway.outcomes.Outcome;
import io.servinglayer.gateway.outcomes.OutcomeRecorder;
import io.servinglayer.gateway.outcomes.OutcomeSettings;
import io.servinglayer.gateway.system.RedisLink;
import io.servinglayer.gateway.system.RedisSettings;
import io.servinglayer.testsupport.MutableClock;
import io.servinglayer.controlplane.ControlPlaneOnCluster;
import io.servinglayer.testsupport.TestRedisCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Outcome counters on a three-master Redis Cluster: what a gateway counts in buckets
 * spread over every node, the control plane reads back in one pipelined read.
 */
@Tag("redis-cluster")
class OutcomesOnRedisClusterIntegrationTests {

	private final TestRedisCluster cluster = TestRedisCluster.get();

	@Test
	void countsAGatewayWritesIntoBucketsOnEveryNodeAreTheCountsTheControlPlaneReads() {
		String prefix = this.cluster.newKeyPrefix();
		Instant start = Instant.parse("2026-12-01T10:00:00Z");
		MutableClock clock = new MutableClock(start);
		OutcomeSettings settings = new OutcomeSettings(Duration.ofSeconds(10), Duration.ofHours(2),
				OutcomeBucket.DEFAULT_LATENCY_BOUNDS_MS, 1000, Duration.ofHours(1));
		LettuceConnectionFactory connections = ControlPlaneOnCluster.connections(this.cluster);
		StringRedisTemplate template = ControlPlaneOnCluster.template(connections);
		OutcomeBuckets buckets = new OutcomeBuckets(template, new RedisNamespace(prefix),
				new OutcomeProperties(Duration.ofSeconds(10), Duration.ofHours(2),
						OutcomeBucket.DEFAULT_LATENCY_BOUNDS_MS, Duration.ofSeconds(15), Duration.ofSeconds(30),
						Duration.ofDays(91)));
		long first = buckets.bucketOf(start);
		try (RedisLink link = new RedisLink(
				new RedisSettings(this.cluster.uri(), prefix, Duration.ofMillis(500), Duration.ofSeconds(1), true))) {
			link.start();
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> link.connection().isOpen());
			OutcomeRecorder recorder = new OutcomeRecorder(link, settings, new SimpleMeterRegistry(), clock);
			// One bucket after another, two requests each, the second an error.
			for (int bucket = 0; bucket < 12; bucket++) {
				recorder.record("fraud", 1, Outcome.SUCCESS, Duration.ofMillis(20));
				recorder.record("fraud", 1, Outcome.SERVER_ERROR, Duration.ofMillis(300));
				clock.advance(Duration.ofSeconds(10));
			}
			assertThat(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
				.stream()
				.map((bucket) -> SlotHash.getSlot(OutcomeBucket.key(prefix, "fraud", 1, first + bucket * 10L)) / 5462)
				.distinct()
				.count()).as("buckets on every node").isEqualTo(3);
			// Closing writes what is counted.
			recorder.close();

			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				List<OutcomeCounts> read = buckets.read("fraud", 1, first, first + 120, 1);
				assertThat(read).hasSize(12)
					.allSatisfy((counts) -> assertThat(counts.requests()).isEqualTo(2))
					.allSatisfy((counts) -> assertThat(counts.errors()).isEqualTo(1));
			});
			OutcomeCounts sum = buckets.sum("fraud", 1, first, first + 120);
			assertThat(sum.requests()).isEqualTo(24);
			assertThat(sum.latency()).containsEntry("le_25", 12L).containsEntry("le_500", 12L);
		}
		finally {
			connections.destroy();
		}
	}

}
