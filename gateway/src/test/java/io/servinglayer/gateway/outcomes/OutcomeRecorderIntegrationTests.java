package io.servinglayer.gateway.outcomes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servinglayer.gateway.system.RedisLink;
import io.servinglayer.gateway.system.RedisSettings;
import io.servinglayer.testsupport.TestRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Per-version outcome counters in a real Redis, in the documented key layout. */
class OutcomeRecorderIntegrationTests {

	@Test
	void countsRequestsErrorsTimeoutsAndLatencyPerVersionAndTenSecondBucketWithATtlInOneFlush() {
		TestRedis redis = TestRedis.get();
		String prefix = redis.newKeyPrefix();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		Clock clock = Clock.fixed(Instant.parse("2026-11-28T12:00:07Z"), ZoneOffset.UTC);
		try (RedisLink link = new RedisLink(new RedisSettings("redis://" + redis.host() + ":" + redis.port(), prefix,
				Duration.ofMillis(500), Duration.ofSeconds(1)))) {
			link.start();
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> link.connection().isOpen());
			OutcomeRecorder recorder = new OutcomeRecorder(link, new OutcomeSettings(Duration.ofSeconds(10),
					Duration.ofHours(2), List.of(25, 100, 500), 100, Duration.ofSeconds(1)), meters, clock);

			recorder.record("fraud", 2, Outcome.SUCCESS, Duration.ofMillis(12));
			recorder.record("fraud", 2, Outcome.SUCCESS, Duration.ofMillis(80));
			recorder.record("fraud", 2, Outcome.SERVER_ERROR, Duration.ofMillis(90));
			recorder.record("fraud", 2, Outcome.TIMEOUT, Duration.ofMillis(2000));
			recorder.record("fraud", 1, Outcome.CLIENT_ERROR, Duration.ofMillis(3));
			recorder.record("fraud", 2, Outcome.CLIENT_CLOSED, Duration.ofMillis(400));
			recorder.flush();

			String key = prefix + "outcomes:fraud:2:" + Instant.parse("2026-11-28T12:00:00Z").getEpochSecond();
			assertThat(recorder.key("fraud", 2, clock.instant().getEpochSecond())).isEqualTo(key);
			var commands = link.connection().sync();
			await().atMost(Duration.ofSeconds(5)).until(() -> "4".equals(commands.hget(key, "count")));
			Map<String, String> counters = commands.hgetall(key);
			assertThat(counters).containsEntry("count", "4")
				.containsEntry("errors", "2")
				.containsEntry("timeouts", "1")
				.containsEntry("le_25", "1")
				.containsEntry("le_100", "2")
				.containsEntry("le_inf", "1")
				.doesNotContainKey("le_500");
			assertThat(commands.ttl(key)).isBetween(7000L, 7200L);
			assertThat(commands
				.hgetall(prefix + "outcomes:fraud:1:" + Instant.parse("2026-11-28T12:00:00Z").getEpochSecond()))
				.containsEntry("count", "1")
				.doesNotContainKey("errors");
			assertThat(meters.get("gateway.model.requests")
				.tags("model", "fraud", "version", "2", "outcome", "timeout")
				.timer()
				.count()).isEqualTo(1);
			assertThat(meters.get("gateway.model.requests")
				.tags("model", "fraud", "version", "2", "outcome", "client_closed")
				.timer()
				.count()).isEqualTo(1);
			assertThat(meters.get("gateway.outcomes.dropped").counter().count()).isZero();
		}
	}

	@Test
	void noCountIsLostWhenFlushesRunWhileRequestsAreRecorded() throws Exception {
		TestRedis redis = TestRedis.get();
		String prefix = redis.newKeyPrefix();
		Clock clock = Clock.fixed(Instant.parse("2026-11-28T12:00:07Z"), ZoneOffset.UTC);
		try (RedisLink link = new RedisLink(new RedisSettings("redis://" + redis.host() + ":" + redis.port(), prefix,
				Duration.ofMillis(500), Duration.ofSeconds(1)))) {
			link.start();
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> link.connection().isOpen());
			OutcomeRecorder recorder = new OutcomeRecorder(link, new OutcomeSettings(Duration.ofSeconds(10),
					Duration.ofHours(2), List.of(25), 100_000, Duration.ofSeconds(1)), new SimpleMeterRegistry(),
					clock);
			int threads = 4;
			int each = 20_000;
			java.util.concurrent.ExecutorService recorders = java.util.concurrent.Executors.newFixedThreadPool(threads);
			java.util.concurrent.atomic.AtomicBoolean recording = new java.util.concurrent.atomic.AtomicBoolean(true);
			try {
				java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
				for (int t = 0; t < threads; t++) {
					done.add(recorders.submit(() -> {
						for (int i = 0; i < each; i++) {
							recorder.record("fraud", 1, Outcome.SUCCESS, Duration.ofMillis(5));
						}
					}));
				}
				Thread flusher = new Thread(() -> {
					while (recording.get()) {
						recorder.flush();
					}
				});
				flusher.start();
				for (java.util.concurrent.Future<?> recorded : done) {
					recorded.get(60, java.util.concurrent.TimeUnit.SECONDS);
				}
				recording.set(false);
				flusher.join();
				recorder.flush();
			}
			finally {
				recorders.shutdownNow();
			}

			String key = prefix + "outcomes:fraud:1:" + Instant.parse("2026-11-28T12:00:00Z").getEpochSecond();
			var commands = link.connection().sync();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(
						() -> assertThat(commands.hget(key, "count")).isEqualTo(Integer.toString(threads * each)));
		}
	}

	@Test
	void withoutRedisTheTimerStillCountsAndTheLostWriteIsCounted() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (RedisLink link = new RedisLink(
				new RedisSettings("redis://127.0.0.1:1", "x:", Duration.ofMillis(200), Duration.ofMillis(200)))) {
			OutcomeRecorder recorder = new OutcomeRecorder(link, new OutcomeSettings(Duration.ofSeconds(10),
					Duration.ofHours(2), List.of(25), 100, Duration.ofSeconds(1)), meters, Clock.systemUTC());
			recorder.record("fraud", 1, Outcome.SUCCESS, Duration.ofMillis(5));
			assertThat(meters.get("gateway.model.requests").timer().count()).isEqualTo(1);
			recorder.flush();
			assertThat(meters.get("gateway.outcomes.dropped").counter().count()).isEqualTo(1);
		}
	}

}
