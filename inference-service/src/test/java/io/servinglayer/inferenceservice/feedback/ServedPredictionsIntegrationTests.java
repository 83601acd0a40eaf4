package io.servinglayer.inferenceservice.feedback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servinglayer.contracts.ServedPrediction;
import io.servinglayer.inferenceservice.predict.PredictResponse;
import io.servinglayer.inferenceservice.protocol.InferenceResponse;
import io.servinglayer.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Served predictions written to a real Redis, and what happens when it is not there. */
class ServedPredictionsIntegrationTests {

	private static final Clock clock = Clock.fixed(Instant.parse("2026-12-03T08:00:00Z"), ZoneOffset.UTC);

	private final TestRedis redis = TestRedis.get();

	private final String prefix = this.redis.newKeyPrefix();

	private final String uri = "redis://" + this.redis.host() + ":" + this.redis.port();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private RedisClient client;

	private StatefulRedisConnection<String, String> connection;

	@BeforeEach
	void connect() {
		this.client = RedisClient.create(RedisURI.create(this.uri));
		this.connection = this.client.connect();
	}

	@AfterEach
	void disconnect() {
		this.connection.close();
		this.client.shutdown();
		this.redis.cleanUp();
	}

	@Test
	void aClassifiersAnswerIsKeptAsEachRowsTopClassUnderTheTtl() {
		try (ServedPredictions served = served(settings(10_000))) {
			served.start();
			served.remember("r-1", "fraud", "3",
					new InferenceResponse("fraud", "3", null, List.of(new InferenceResponse.Output("output", "FP32",
							new long[] { 2, 2 }, new float[] { 0.2f, 0.8f, 0.9f, 0.1f }, null))));

			String key = ServedPrediction.key(this.prefix, "r-1");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.connection.sync().exists(key) == 1);
			assertThat(this.connection.sync().hgetall(key)).isEqualTo(Map.of("model", "fraud", "version", "3", "rows",
					"2", "predicted", "[1,0]", "at", Long.toString(clock.millis())));
			assertThat(this.connection.sync().pttl(key)).isBetween(Duration.ofHours(23).toMillis(),
					Duration.ofHours(24).toMillis());
			assertThat(this.meters.counter("inference.served.predictions").count()).isEqualTo(1);
		}
	}

	@Test
	void aPredictAnswerIsKeptAndARequestIdUsedAgainReplacesWhatWasJoinedBefore() {
		try (ServedPredictions served = served(settings(10_000))) {
			served.start();
			String key = ServedPrediction.key(this.prefix, "r-2");
			this.connection.sync().hset(key, Map.of("model", "old", "joined", "1"));
			served.remember("r-2", "churn", "1",
					new PredictResponse("churn", "1", List.of(Map.of("score", 0.75), Map.of("score", 0.25)), null));

			await().atMost(Duration.ofSeconds(5))
				.until(() -> "churn".equals(this.connection.sync().hget(key, "model")));
			assertThat(this.connection.sync().hgetall(key)).containsEntry("predicted", "[0.75,0.25]")
				.containsEntry("rows", "2")
				.doesNotContainKey("joined");
		}
	}

	@Test
	void withoutARequestIdNothingIsKept() {
		try (ServedPredictions served = served(settings(10_000))) {
			served.remember(null, "fraud", "3", new PredictResponse("fraud", "3", List.of(Map.of("label", 1)), null));

			assertThat(served.queued()).isZero();
		}
	}

	@Test
	void aFullQueueDropsAndCountsInsteadOfWaiting() {
		// Not started: nothing drains the queue.
		try (ServedPredictions served = served(settings(2))) {
			for (int i = 0; i < 5; i++) {
				served.remember("r-" + i, "fraud", "3",
						new PredictResponse("fraud", "3", List.of(Map.of("label", 1)), null));
			}

			assertThat(served.queued()).isEqualTo(2);
			assertThat(this.meters.counter("inference.served.predictions.dropped", "reason", "queue_full").count())
				.isEqualTo(3);
		}
	}

	@Test
	void whenRedisCannotBeReachedPredictionsAreDroppedAndCountedWithoutFailingTheCaller() {
		ServedPredictionSettings settings = settings(10_000);
		try (ServedPredictions served = new ServedPredictions("redis://127.0.0.1:1", settings, this.meters, clock)) {
			served.start();
			served.remember("r-9", "fraud", "3", new PredictResponse("fraud", "3", List.of(Map.of("label", 1)), null));

			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.meters.counter("inference.served.predictions.dropped", "reason", "redis")
					.count() == 1);
			assertThat(served.queued()).isZero();
		}
	}

	private ServedPredictions served(ServedPredictionSettings settings) {
		return new ServedPredictions(this.uri, settings, this.meters, clock);
	}

	private ServedPredictionSettings settings(int maxQueued) {
		return new ServedPredictionSettings(true, this.prefix, Duration.ofHours(24), maxQueued, 64,
				Duration.ofSeconds(1), Duration.ofMillis(20));
	}

}
