package io.servinglayer.gateway.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servinglayer.contracts.RateLimitBucket;
import io.servinglayer.gateway.routing.RatePlan;
import io.servinglayer.gateway.system.RedisLink;
import io.servinglayer.gateway.system.RedisSettings;
import io.servinglayer.testsupport.TestRedis;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared rate-limit state as one gateway's script writes it and every gateway's
 * script reads it, at the keys and fields {@link RateLimitBucket} documents, in real
 * Redis.
 */
class RateLimitBucketContractIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final List<RedisLink> links = new ArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@AfterEach
	void closeLinks() {
		this.links.forEach(RedisLink::close);
	}

	@Test
	void aGatewayLeavesTheBucketAndTheDailyCountWhereTheLayoutSaysWithTheirTtls() {
		String prefix = TestRedis.get().newKeyPrefix();
		RedisLink link = connected(prefix);
		RatePlan plan = new RatePlan(2, 10, 1000L);

		assertThat(limiter(link).decide("layout-client", plan).block(WAIT).allowed()).isTrue();

		var redis = link.connection().sync();
		String bucketKey = RateLimitBucket.bucketKey(prefix, "layout-client");
		Map<String, String> bucket = redis.hgetall(bucketKey);
		assertThat(bucket).containsOnlyKeys(RateLimitBucket.TOKENS, RateLimitBucket.AT);
		assertThat(Double.parseDouble(bucket.get(RateLimitBucket.TOKENS))).isBetween(0.0, 9.0);
		assertThat(Double.parseDouble(bucket.get(RateLimitBucket.AT)) / 1_000_000)
			.isCloseTo(Instant.now().getEpochSecond(), Offset.offset(60.0));
		// A full bucket refills in burst / rate = 5 s; the key lives a second longer.
		assertThat(redis.pttl(bucketKey)).isBetween(1L, 6_000L);
		String dailyKey = RateLimitBucket.dailyKey(prefix, "layout-client");
		Map<String, String> daily = redis.hgetall(dailyKey);
		assertThat(daily).containsOnlyKeys(RateLimitBucket.DAY, RateLimitBucket.USED);
		assertThat(Long.parseLong(daily.get(RateLimitBucket.DAY)))
			.isBetween(Instant.now().getEpochSecond() / 86_400 - 1, Instant.now().getEpochSecond() / 86_400 + 1);
		assertThat(Long.parseLong(daily.get(RateLimitBucket.USED))).isBetween(1L, 10L);
		assertThat(redis.ttl(dailyKey)).isBetween(60L, 86_400L + 60);
	}

	@Test
	void anotherGatewayReadsTheBudgetAtThoseKeysAndAFullBucketOnceTheyAreGone() {
		String prefix = TestRedis.get().newKeyPrefix();
		RatePlan plan = new RatePlan(0.01, 3, null);
		RateLimiter first = limiter(connected(prefix));
		int admitted = 0;
		while (first.decide("spent-client", plan).block(WAIT).allowed()) {
			admitted++;
		}
		assertThat(admitted).isEqualTo(3);
		assertThat(limiter(connected(prefix)).decide("spent-client", plan).block(WAIT).allowed()).isFalse();

		RedisLink link = connected(prefix);
		assertThat(link.connection().sync().del(RateLimitBucket.bucketKey(prefix, "spent-client"))).isEqualTo(1);

		RateLimitDecision fresh = limiter(link).decide("spent-client", plan).block(WAIT);
		assertThat(fresh.allowed()).isTrue();
		assertThat(fresh.limit()).isEqualTo(3);
	}

	private RateLimiter limiter(RedisLink link) {
		return new RateLimiter(link, new RateLimitSettings(RateLimitSettings.WhenRedisDown.FAIL_CLOSED, 100),
				Clock.systemUTC(), this.meters);
	}

	private RedisLink connected(String prefix) {
		TestRedis redis = TestRedis.get();
		RedisLink link = new RedisLink(new RedisSettings("redis://" + redis.host() + ":" + redis.port(), prefix,
				Duration.ofMillis(500), Duration.ofMillis(500)));
		link.start();
		this.links.add(link);
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> link.connection().isOpen());
		return link;
	}

}
