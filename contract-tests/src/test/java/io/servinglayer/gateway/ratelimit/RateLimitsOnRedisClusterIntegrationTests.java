package io.servinglayer.gateway.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.lettuce.core.cluster.SlotHash;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servinglayer.contracts.RateLimitBucket;
import io.servinglayer.gateway.routing.RatePlan;
import io.servinglayer.gateway.system.RedisLink;
import io.servinglayer.gateway.system.RedisSettings;
import io.servinglayer.testsupport.TestRedisCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's rate limiter on a three-master Redis Cluster: two gateways, each with its
 * own client, share one client's budget, whose keys (one hash tag per client) the
 * limiter's script takes together.
 */
@Tag("redis-cluster")
class RateLimitsOnRedisClusterIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final TestRedisCluster cluster = TestRedisCluster.get();

	private final List<RedisLink> links = new ArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@AfterEach
	void closeLinks() {
		this.links.forEach(RedisLink::close);
	}

	@Test
	void twoGatewaysOnOneClusterShareOneBudget() {
		String prefix = this.cluster.newKeyPrefix();
		RateLimiter first = limiter(connected(prefix));
		RateLimiter second = limiter(connected(prefix));
		RatePlan plan = new RatePlan(0.01, 10, null);
		List<Long> remaining = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			RateLimitDecision decision = ((i % 2 == 0) ? first : second).decide("shared-client", plan).block(WAIT);
			assertThat(decision.allowed()).as("request %d", i).isTrue();
			remaining.add(decision.remaining());
		}
		assertThat(remaining).containsExactly(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);
		RateLimitDecision refused = second.decide("shared-client", plan).block(WAIT);
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.retryAfterSeconds()).isBetween(90L, 100L);
		assertThat(first.decide("shared-client", plan).block(WAIT).allowed()).isFalse();
		assertThat(withoutRedis()).isZero();
	}

	@Test
	void clientsWhoseBucketsLiveOnDifferentNodesEachGetTheirOwnBudgetWithADailyQuota() {
		String prefix = this.cluster.newKeyPrefix();
		RateLimiter first = limiter(connected(prefix));
		RateLimiter second = limiter(connected(prefix));
		// A daily quota makes the script take both of a client's keys.
		RatePlan plan = new RatePlan(0.01, 100, 3L);
		// Enough clients that their hash tags fall on every node (redis-cli splits the
		// slots in three even ranges).
		assertThat(IntStream.range(0, 12)
			.map((client) -> SlotHash.getSlot(RateLimitBucket.bucketKey(prefix, "client-" + client)) / 5462)
			.distinct()
			.count()).isEqualTo(3);
		for (int client = 0; client < 12; client++) {
			String id = "client-" + client;
			for (int i = 0; i < 3; i++) {
				assertThat(((i % 2 == 0) ? first : second).decide(id, plan).block(WAIT).allowed())
					.as("%s request %d", id, i)
					.isTrue();
			}
			assertThat(second.decide(id, plan).block(WAIT).allowed()).as("%s over its daily quota", id).isFalse();
		}
		assertThat(withoutRedis()).isZero();
	}

	private RateLimiter limiter(RedisLink link) {
		return new RateLimiter(link, new RateLimitSettings(RateLimitSettings.WhenRedisDown.FAIL_OPEN, 100),
				Clock.systemUTC(), this.meters);
	}

	private RedisLink connected(String prefix) {
		RedisLink link = new RedisLink(
				new RedisSettings(this.cluster.uri(), prefix, Duration.ofMillis(500), Duration.ofSeconds(1), true));
		link.start();
		this.links.add(link);
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> link.connection().isOpen());
		return link;
	}

	private double withoutRedis() {
		return this.meters.get("gateway.ratelimit.decisions.without.redis").counter().count();
	}

}
