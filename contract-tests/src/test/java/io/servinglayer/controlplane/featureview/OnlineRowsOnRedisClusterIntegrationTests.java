package io.servinglayer.controlplane.featureview;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.cluster.SlotHash;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servinglayer.contracts.OnlineFeatureRow;
import io.servinglayer.controlplane.signature.DataType;
import io.servinglayer.controlplane.system.RedisNamespace;
import io.servinglayer.inferenceservice.features.FeatureSettings;
import io.servinglayer.inferenceservice.features.OnlineStore;
import io.servinglayer.inferenceservice.features.RowKey;
import io.servinglayer.inferenceservice.features.StoredRow;
import io.servinglayer.routingclient.SharedRedisClient;
import io.servinglayer.controlplane.ControlPlaneOnCluster;
import io.servinglayer.testsupport.TestRedisCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Online feature rows on a three-master Redis Cluster: the control plane writes them
 * through Spring Data Redis configured as {@code spring.data.redis.cluster.nodes} makes
 * it (its script and pipeline), and an inference instance reads rows spread over every
 * node in one read, through its one client.
 */
@Tag("redis-cluster")
class OnlineRowsOnRedisClusterIntegrationTests {

	private final TestRedisCluster cluster = TestRedisCluster.get();

	private final String prefix = this.cluster.newKeyPrefix();

	private LettuceConnectionFactory connections;

	private SharedRedisClient client;

	private OnlineStore reader;

	@BeforeEach
	void connect() {
		this.connections = ControlPlaneOnCluster.connections(this.cluster);
		this.client = SharedRedisClient.create(this.cluster.uri(), true, Duration.ofSeconds(1));
		this.reader = new OnlineStore(this.client, new FeatureSettings(this.prefix, 1000, Duration.ofSeconds(5), 0.2,
				Duration.ofSeconds(1), Duration.ofSeconds(2), 256), new SimpleMeterRegistry());
		this.reader.start();
	}

	@AfterEach
	void disconnect() {
		this.reader.close();
		this.client.close();
		this.connections.destroy();
	}

	@Test
	void rowsTheControlPlaneWritesOnEveryNodeAreReadByAnInferenceInstanceInOneRead() throws Exception {
		FeatureView view = new FeatureView("cards", 3, null, List.of("card_id"),
				List.of(new FeatureSpec("balance", DataType.FP64)), 600, RowPolicy.REJECT, RowPolicy.SERVE_STALE,
				"test", Instant.now());
		StringBuilder body = new StringBuilder();
		for (int card = 0; card < 30; card++) {
			body.append("{\"card_id\": \"c-%d\", \"balance\": %d.5, \"event_time\": \"2026-11-29T10:00:00Z\"}\n"
				.formatted(card, card));
		}
		List<OnlineRow> rows = new OnlineRowParser(JsonMapper.builder().build(), 100).parse(view, body.toString());
		StringRedisTemplate template = ControlPlaneOnCluster.template(this.connections);
		OnlineStoreWriter writer = new OnlineStoreWriter(template, new RedisNamespace(this.prefix));

		assertThat(writer.write(view, rows)).isEqualTo(30);
		// Written again, the rows are no newer than what is stored: nothing changes.
		assertThat(writer.write(view, rows)).isEqualTo(30);

		List<RowKey> keys = new ArrayList<>();
		for (int card = 0; card < 30; card++) {
			keys.add(new RowKey("cards", 3, "c-" + card));
		}
		// The rows live on all three masters (redis-cli splits the slots in three even
		// ranges).
		assertThat(keys.stream()
			.map((key) -> SlotHash.getSlot(OnlineFeatureRow.key(this.prefix, key.view(), key.version(), key.entity()))
					/ 5462)
			.distinct()
			.count()).isEqualTo(3);
		RowKey unknown = new RowKey("cards", 3, "c-404");
		keys.add(unknown);
		Map<RowKey, StoredRow> read = this.reader.read(keys).get(5, TimeUnit.SECONDS);
		for (int card = 0; card < 30; card++) {
			StoredRow row = read.get(keys.get(card));
			assertThat(row.present()).as("c-%d", card).isTrue();
			assertThat(row.values()).containsExactly(Map.entry("balance", card + ".5"));
			assertThat(row.eventTime()).isEqualTo(Instant.parse("2026-11-29T10:00:00Z"));
		}
		assertThat(read.get(unknown).present()).isFalse();
	}

}
