package io.servinglayer.gateway.ratelimit;

import io.servinglayer.gateway.routing.RatePlan;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servinglayer.gateway.system.RedisLink;
import io.servinglayer.gateway.system.RedisSettings;
import io.servinglayer.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The rate limiter against a real Redis, and against none. */
class RateLimiterIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final List<RedisLink> links = new ArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@AfterEach
	void closeLinks() {
		this.links.forEach(RedisLink::close);
	}

	@Test
	void twoGatewaysOnOnePrefixShareOneBudget() {
		String prefix = TestRedis.get().newKeyPrefix();
		RateLimiter first = limiter(connected(prefix), RateLimitSettings.WhenRedisDown.FAIL_OPEN);
		RateLimiter second = limiter(connected(prefix), RateLimitSettings.WhenRedisDown.FAIL_OPEN);
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
		assertThat(refused.limit()).isEqualTo(10);
		assertThat(refused.remaining()).isZero();
		assertThat(refused.retryAfterSeconds()).isBetween(90L, 100L);
		assertThat(first.decide("shared-client", plan).block(WAIT).allowed()).isFalse();
		assertThat(first.decide("another-client", plan).block(WAIT).allowed()).isTrue();
		assertThat(withoutRedis()).isZero();
	}

	@Test
	void twoGatewaysSpendingLeasesNeverAdmitMoreThanThePlanAndAskRedisOncePerLease() throws Exception {
		String prefix = TestRedis.get().newKeyPrefix();
		List<RateLimiter> gateways = List.of(limiter(connected(prefix), RateLimitSettings.WhenRedisDown.FAIL_OPEN),
				limiter(connected(prefix), RateLimitSettings.WhenRedisDown.FAIL_OPEN));
		// 200/s with a burst of 400: leases of 40 tokens (a tenth of the burst, under the
		// 50 the plan refills in a lease's 250 ms).
		RatePlan plan = new RatePlan(200, 400, null);
		int lease = Leases.size(plan, new RateLimitSettings(RateLimitSettings.WhenRedisDown.FAIL_OPEN, 100));
		assertThat(lease).isEqualTo(40);
		java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();
		java.util.concurrent.atomic.AtomicInteger decided = new java.util.concurrent.atomic.AtomicInteger();
		java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(8);
		long started = System.nanoTime();
		long until = started + Duration.ofMillis(1500).toNanos();
		List<java.util.concurrent.Future<?>> running = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			RateLimiter gateway = gateways.get(i % 2);
			running.add(callers.submit(() -> {
				while (System.nanoTime() < until) {
					if (gateway.decide("leasing-client", plan).block(WAIT).allowed()) {
						admitted.incrementAndGet();
					}
					decided.incrementAndGet();
				}
			}));
		}
		for (java.util.concurrent.Future<?> caller : running) {
			caller.get(30, java.util.concurrent.TimeUnit.SECONDS);
		}
		double elapsed = (System.nanoTime() - started) / 1e9;
		callers.shutdown();
		// Tokens are taken from the shared bucket before they are spent: never an
		// overshoot. What leasing may cost is the other way, at most a lease per gateway
		// stranded unspent.
		assertThat(admitted.get()).isLessThanOrEqualTo((int) Math.ceil(400 + 200 * elapsed) + 1)
			.isGreaterThanOrEqualTo(400 - 2 * lease);
		double leases = this.meters.get("gateway.ratelimit.leases").counter().count();
		assertThat(decided.get() / leases).as("decisions per Redis call").isGreaterThan(10);
		assertThat(withoutRedis()).isZero();
	}

	@Test
	void aDailyQuotaIsSharedAndRefusesUntilTheUtcDayEnds() {
		String prefix = TestRedis.get().newKeyPrefix();
		RateLimiter first = limiter(connected(prefix), RateLimitSettings.WhenRedisDown.FAIL_OPEN);
		RateLimiter second = limiter(connected(prefix), RateLimitSettings.WhenRedisDown.FAIL_OPEN);
		RatePlan plan = new RatePlan(100, 100, 3L);
		assertThat(first.decide("quota-client", plan).block(WAIT).remaining()).isEqualTo(2);
		assertThat(second.decide("quota-client", plan).block(WAIT).remaining()).isEqualTo(1);
		RateLimitDecision last = first.decide("quota-client", plan).block(WAIT);
		assertThat(last.allowed()).isTrue();
		assertThat(last.limit()).isEqualTo(3);
		assertThat(last.remaining()).isZero();
		RateLimitDecision refused = second.decide("quota-client", plan).block(WAIT);
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.retryAfterSeconds()).isBetween(1L, 86_400L);
		assertThat(refused.resetSeconds()).isEqualTo(refused.retryAfterSeconds());
	}

	@Test
	void withRedisDownFailOpenDecidesByALocalBucketAndCountsEveryDecision() {
		RateLimiter limiter = limiter(unreachable(), RateLimitSettings.WhenRedisDown.FAIL_OPEN);
		RatePlan plan = new RatePlan(0.01, 2, null);
		assertThat(limiter.decide("c", plan).block(WAIT).allowed()).isTrue();
		assertThat(limiter.decide("c", plan).block(WAIT).allowed()).isTrue();
		assertThat(limiter.decide("c", plan).block(WAIT).allowed()).isFalse();
		assertThat(withoutRedis()).isEqualTo(3);
	}

	@Test
	void withRedisDownFailClosedRefusesAndCountsEveryDecision() {
		RateLimiter limiter = limiter(unreachable(), RateLimitSettings.WhenRedisDown.FAIL_CLOSED);
		assertThatThrownBy(() -> limiter.decide("c", new RatePlan(10, 10, null)).block(WAIT))
			.isInstanceOf(RateLimiterUnavailableException.class);
		assertThat(withoutRedis()).isEqualTo(1);
	}

	private double withoutRedis() {
		return this.meters.get("gateway.ratelimit.decisions.without.redis").counter().count();
	}

	private RateLimiter limiter(RedisLink link, RateLimitSettings.WhenRedisDown mode) {
		return new RateLimiter(link, new RateLimitSettings(mode, 100), Clock.systemUTC(), this.meters);
	}

	private RedisLink connected(String prefix) {
		TestRedis redis = TestRedis.get();
		RedisLink link = link("redis://" + redis.host() + ":" + redis.port(), prefix);
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> link.connection().isOpen());
		return link;
	}

	private RedisLink unreachable() {
		return link("redis://127.0.0.1:1", "unused:");
	}

	private RedisLink link(String uri, String prefix) {
		RedisLink link = new RedisLink(new RedisSettings(uri, prefix, Duration.ofMillis(250), Duration.ofMillis(500)));
		link.start();
		this.links.add(link);
		return link;
	}

}
