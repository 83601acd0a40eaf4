package io.servinglayer.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RoutingSnapshotTests {

	private final JsonMapper json = SnapshotJson.mapper();

	private RoutingSnapshot read(String document) {
		return SnapshotJson.read(this.json, document.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void aSnapshotOfAnOlderControlPlaneReadsWithTheDefaults() {
		RoutingSnapshot snapshot = read("""
				{"revision": 3,
				 "deployments": [{"name": "fraud", "model": "fraud", "stable": {"version": 1}}],
				 "featureViews": [{"name": "cards", "version": 1, "entityKeys": ["card_id"],
				                   "features": [{"name": "age", "dtype": "FP32"}]}],
				 "clients": [{"clientId": "app"}]}""");

		RoutingSnapshot.Deployment deployment = snapshot.deployments().get(0);
		assertThat(deployment.pool()).isEqualTo("default");
		assertThat(deployment.stickyKey()).isEqualTo("client");
		assertThat(deployment.salt()).isEmpty();
		assertThat(deployment.timeoutMs()).isEqualTo(2000);
		assertThat(deployment.canary()).isNull();
		assertThat(deployment.canaryWeightBasisPoints()).isZero();
		assertThat(deployment.shadow()).isNull();
		assertThat(deployment.shadowPercent()).isZero();
		assertThat(deployment.batching()).isEqualTo(new RoutingSnapshot.Batching(32, 0));
		assertThat(deployment.stable().featureBinding()).isNull();
		RoutingSnapshot.FeatureView view = snapshot.featureView("cards", 1);
		assertThat(view.onMissing()).isEqualTo(RoutingSnapshot.RowPolicy.REJECT);
		assertThat(view.onStale()).isEqualTo(RoutingSnapshot.RowPolicy.SERVE_STALE);
		assertThat(view.features().get(0).defaultValue()).isNull();
		RoutingSnapshot.Client client = snapshot.clients().get(0);
		assertThat(client.ratePlan()).isEqualTo(new RoutingSnapshot.RatePlan(50, 100, null));
		assertThat(client.scopes()).isEmpty();
		assertThat(client.disabled()).isFalse();
	}

	@Test
	void aRatePlanMissingSomeMembersTakesTheDefaultsOfThoseAlone() {
		RoutingSnapshot snapshot = read("""
				{"revision": 4, "clients": [{"clientId": "app", "ratePlan": {"burst": 7, "dailyQuota": 1000}}]}""");

		assertThat(snapshot.clients().get(0).ratePlan()).isEqualTo(new RoutingSnapshot.RatePlan(50, 7, 1000L));
		assertThat(snapshot.deployments()).isEmpty();
		assertThat(snapshot.featureViews()).isEmpty();
	}

	@Test
	void membersANewerControlPlaneAddsAreIgnored() {
		RoutingSnapshot snapshot = read(
				"""
						{"revision": 5, "region": "eu", "deployments": [{"name": "fraud", "stable": {"version": 2, "tier": "gold"},
						  "mirror": {"version": 3}, "timeoutMs": 900}], "clients": [{"clientId": "app", "quotaGroup": "a"}]}""");

		assertThat(snapshot.deployments().get(0).stable().version()).isEqualTo(2);
		assertThat(snapshot.deployments().get(0).timeoutMs()).isEqualTo(900);
		assertThat(snapshot.clients().get(0).clientId()).isEqualTo("app");
	}

	@Test
	void aRowPolicyThisReaderDoesNotKnowReadsAsTheViewsDefault() {
		RoutingSnapshot snapshot = read("""
				{"revision": 6, "featureViews": [{"name": "cards", "version": 2, "onMissing": "defaults",
				  "onStale": "interpolate"}]}""");

		assertThat(snapshot.featureView("cards", 2).onMissing()).isEqualTo(RoutingSnapshot.RowPolicy.DEFAULTS);
		assertThat(snapshot.featureView("cards", 2).onStale()).isEqualTo(RoutingSnapshot.RowPolicy.SERVE_STALE);
	}

	@Test
	void aDocumentWithoutARevisionIsNotASnapshot() {
		assertThatExceptionOfType(JacksonException.class).isThrownBy(() -> read("{\"deployments\": []}"))
			.withMessageContaining("no revision");
		assertThatExceptionOfType(JacksonException.class).isThrownBy(() -> read("{\"revision\": -1}"))
			.withMessageContaining("no revision");
	}

	@Test
	void whatIsWrittenReadsBackTheSame() {
		JsonNode zero = this.json.readTree("0.0");
		RoutingSnapshot.Tensor input = new RoutingSnapshot.Tensor("input", "FP32", List.of(-1L, 3L),
				java.util.Arrays.asList("batch", null));
		RoutingSnapshot.FeatureBinding binding = new RoutingSnapshot.FeatureBinding(
				new RoutingSnapshot.FeatureViewRef("cards", 1),
				List.of(new RoutingSnapshot.Feature("amount", "FP32", null)),
				Map.of("input", List.of("age", "amount", "count")));
		RoutingSnapshot.Version stable = new RoutingSnapshot.Version(1, "ab".repeat(32), 1234,
				"/api/v1/models/fraud/versions/1/artifact",
				new RoutingSnapshot.Signature(List.of(input), List.of(input)), binding);
		RoutingSnapshot written = new RoutingSnapshot(12, Instant.parse("2026-01-02T03:04:05.678Z"),
				List.of(new RoutingSnapshot.Deployment("fraud", "fraud", "gpu", stable, null, 0,
						new RoutingSnapshot.Version(2, "cd".repeat(32), 99, "/a", null, null), 5, "header:X-Key",
						"s4lt", 700, new RoutingSnapshot.Batching(8, 500))),
				List.of(new RoutingSnapshot.FeatureView("cards", 1, "card facts", List.of("card_id"),
						List.of(new RoutingSnapshot.Feature("age", "FP32", zero),
								new RoutingSnapshot.Feature("count", "INT64", null)),
						600, RoutingSnapshot.RowPolicy.DEFAULTS, RoutingSnapshot.RowPolicy.REJECT, "ml-team",
						Instant.parse("2026-01-01T00:00:00Z"))),
				List.of(new RoutingSnapshot.Client("app", "acme", List.of("predict:fraud"),
						new RoutingSnapshot.RatePlan(5.5, 10, 1000L), true)));

		byte[] document = this.json.writeValueAsBytes(written);

		assertThat(SnapshotJson.read(this.json, document)).isEqualTo(written);
		JsonNode tree = this.json.readTree(document);
		assertThat(tree.path("generatedAt").asString()).isEqualTo("2026-01-02T03:04:05.678Z");
		assertThat(tree.path("featureViews").get(0).path("onMissing").asString()).isEqualTo("defaults");
		assertThat(tree.path("featureViews").get(0).path("features").get(1).has("defaultValue")).isFalse();
		assertThat(tree.path("deployments").get(0).has("canary")).isTrue();
	}

}
