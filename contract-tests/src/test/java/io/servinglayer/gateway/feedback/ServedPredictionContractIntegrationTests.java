package io.servinglayer.gateway.feedback;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servinglayer.contracts.ServedPrediction;
import io.servinglayer.gateway.system.RedisLink;
import io.servinglayer.gateway.system.RedisSettings;
import io.servinglayer.inferenceservice.feedback.ServedPredictionSettings;
import io.servinglayer.inferenceservice.feedback.ServedPredictions;
import io.servinglayer.inferenceservice.predict.PredictResponse;
import io.servinglayer.inferenceservice.protocol.InferenceResponse;
import io.servinglayer.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Served predictions written by the inference service ({@code ServedPredictions}) and
 * read and marked joined by the gateway's feedback endpoint ({@code FeedbackJoin}),
 * against real Redis.
 */
class ServedPredictionContractIntegrationTests {

	private final TestRedis redis = TestRedis.get();

	private final String prefix = this.redis.newKeyPrefix();

	private final String uri = "redis://" + this.redis.host() + ":" + this.redis.port();

	private ServedPredictions writer;

	private RedisLink link;

	private FeedbackJoin join;

	@BeforeEach
	void connect() {
		this.writer = new ServedPredictions(this.uri, new ServedPredictionSettings(true, this.prefix,
				Duration.ofHours(24), 100, 16, Duration.ofSeconds(1), Duration.ofMillis(20)), new SimpleMeterRegistry(),
				Clock.systemUTC());
		this.writer.start();
		this.link = new RedisLink(
				new RedisSettings(this.uri, this.prefix, Duration.ofSeconds(1), Duration.ofSeconds(1)));
		this.link.start();
		this.join = new FeedbackJoin(this.link, this.prefix);
		await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> this.link.connection() != null);
	}

	@AfterEach
	void disconnect() {
		this.writer.close();
		this.link.close();
		this.redis.cleanUp();
	}

	@Test
	void aPredictionTheInstanceServedIsTheOneTheGatewayJoinsOnce() {
		this.writer.remember("r-1", "fraud", "3",
				new InferenceResponse("fraud", "3", null, List.of(new InferenceResponse.Output("output", "FP32",
						new long[] { 2, 2 }, new float[] { 0.9f, 0.1f, 0.3f, 0.7f }, null))));
		this.writer.remember("r-2", "fraud", "3",
				new PredictResponse("fraud", "3", List.of(Map.of("label", "approved")), null));
		List<FeedbackItem> items = List.of(item("r-1", 2), item("r-2", 1), item("r-404", 1));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.join.read(items).block().stream().filter(FeedbackJoin.Stored::present).count() == 2);

		List<FeedbackJoin.Stored> read = this.join.read(items).block();

		assertThat(read.get(0)).satisfies((stored) -> {
			assertThat(stored.model()).isEqualTo("fraud");
			assertThat(stored.version()).isEqualTo("3");
			assertThat(stored.rows()).isEqualTo(2);
			assertThat(stored.predicted()).isEqualTo("[0,1]");
			assertThat(stored.joined()).isFalse();
		});
		assertThat(read.get(1).predicted()).isEqualTo("[\"approved\"]");
		assertThat(read.get(2).present()).isFalse();
		assertThat(this.join.mark(items, read, 1_000).block()).containsExactly("joined", "joined", "unknown");
		assertThat(this.join.mark(items, read, 2_000).block()).containsExactly("duplicate", "duplicate", "unknown");
		assertThat(this.join.read(items).block().get(0).joined()).isTrue();
	}

	@Test
	void aRequestIdServedAgainAfterItWasReadIsNotMarkedForTheEarlierPrediction() {
		this.writer.remember("r-5", "fraud", "3", new PredictResponse("fraud", "3", List.of(Map.of("label", 1)), null));
		List<FeedbackItem> items = List.of(item("r-5", 1));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.join.read(items).block().get(0).present());
		List<FeedbackJoin.Stored> read = this.join.read(items).block();

		this.link.connection()
			.sync()
			.hset(ServedPrediction.key(this.prefix, "r-5"), ServedPrediction.AT, "someone else's");

		assertThat(this.join.mark(items, read, 1_000).block()).containsExactly("unknown");
	}

	private static FeedbackItem item(String requestId, int labels) {
		return new FeedbackItem("body", requestId, java.util.Collections.nCopies(labels,
				tools.jackson.databind.node.JsonNodeFactory.instance.numberNode(1)));
	}

}
