package io.servinglayer.controlplane.featureview;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servinglayer.contracts.OnlineFeatureRow;
import io.servinglayer.controlplane.signature.DataType;
import io.servinglayer.controlplane.system.RedisNamespace;
import io.servinglayer.inferenceservice.features.FeatureSettings;
import io.servinglayer.inferenceservice.features.OnlineStore;
import io.servinglayer.inferenceservice.features.RowKey;
import io.servinglayer.inferenceservice.features.StoredRow;
import io.servinglayer.inferenceservice.predict.StoredValues;
import io.servinglayer.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Online feature rows written by the control plane's loader ({@code OnlineRowParser} and
 * {@code OnlineStoreWriter}) and read by the inference service's {@code OnlineStore} and
 * value parsing, against real Redis.
 */
class OnlineFeatureRowContractIntegrationTests {

	private final TestRedis redis = TestRedis.get();

	private final String prefix = this.redis.newKeyPrefix();

	private LettuceConnectionFactory connections;

	private OnlineStore reader;

	@BeforeEach
	void connect() {
		this.connections = new LettuceConnectionFactory(this.redis.host(), this.redis.port());
		this.connections.afterPropertiesSet();
		this.connections.start();
		this.reader = new OnlineStore(
				"redis://" + this.redis.host() + ":" + this.redis.port(), new FeatureSettings(this.prefix, 1000,
						Duration.ofSeconds(5), 0.2, Duration.ofSeconds(1), Duration.ofSeconds(2), 256),
				new SimpleMeterRegistry());
		this.reader.start();
	}

	@AfterEach
	void disconnect() {
		this.reader.close();
		this.connections.destroy();
		this.redis.cleanUp();
	}

	@Test
	void aRowTheControlPlaneWritesIsTheRowTheInferenceServiceReads() throws Exception {
		FeatureView view = new FeatureView("cards", 3, null, List.of("card_id", "merchant_id"),
				List.of(new FeatureSpec("age_days", DataType.FP32), new FeatureSpec("balance", DataType.FP64),
						new FeatureSpec("txn_count", DataType.INT64), new FeatureSpec("rank", DataType.INT32),
						new FeatureSpec("verified", DataType.BOOL), new FeatureSpec("country", DataType.BYTES)),
				600, RowPolicy.REJECT, RowPolicy.SERVE_STALE, "test", Instant.now());
		List<OnlineRow> rows = new OnlineRowParser(JsonMapper.builder().build(), 100).parse(view,
				"""
						{"card_id": "c-1", "merchant_id": 77, "age_days": 12.25, "balance": 1234.5678901, "txn_count": 9000000000, "rank": -3, "verified": true, "country": "NL", "event_time": "2026-11-29T10:00:00.123Z"}
						""");
		StringRedisTemplate template = new StringRedisTemplate(this.connections);
		template.afterPropertiesSet();

		assertThat(new OnlineStoreWriter(template, new RedisNamespace(this.prefix)).write(view, rows)).isEqualTo(1);

		String entity = OnlineFeatureRow.entity(List.of("c-1", "77"));
		assertThat(template.hasKey(OnlineFeatureRow.key(this.prefix, "cards", 3, entity))).isTrue();
		RowKey key = new RowKey("cards", 3, entity);
		StoredRow row = this.reader.read(List.of(key)).get(5, TimeUnit.SECONDS).get(key);
		assertThat(row.present()).isTrue();
		assertThat(row.eventTime()).isEqualTo(Instant.parse("2026-11-29T10:00:00.123Z"));
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("age_days", parse("FP32", row, "age_days"));
		values.put("balance", parse("FP64", row, "balance"));
		values.put("txn_count", parse("INT64", row, "txn_count"));
		values.put("rank", parse("INT32", row, "rank"));
		values.put("verified", parse("BOOL", row, "verified"));
		values.put("country", parse("BYTES", row, "country"));
		assertThat(values).containsExactly(Map.entry("age_days", 12.25f), Map.entry("balance", 1234.5678901),
				Map.entry("txn_count", 9_000_000_000L), Map.entry("rank", -3), Map.entry("verified", true),
				Map.entry("country", "NL"));
		assertThat(row.values()).doesNotContainKey(OnlineFeatureRow.EVENT_TIME);
	}

	@Test
	void anEntityTheControlPlaneNeverWroteReadsAsNoRow() throws Exception {
		RowKey key = new RowKey("cards", 3, OnlineFeatureRow.entity(List.of("c-404", "1")));

		assertThat(this.reader.read(List.of(key)).get(5, TimeUnit.SECONDS).get(key).present()).isFalse();
	}

	private static Object parse(String dtype, StoredRow row, String feature) {
		return StoredValues.parse(io.servinglayer.inferenceservice.runtime.DataType.valueOf(dtype),
				row.values().get(feature));
	}

}
