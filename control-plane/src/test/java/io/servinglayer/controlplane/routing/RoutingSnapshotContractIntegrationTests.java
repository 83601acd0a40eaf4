package io.servinglayer.controlplane.routing;

import java.nio.file.Files;

import io.servinglayer.contracts.RoutingSnapshot;
import io.servinglayer.contracts.SnapshotJson;
import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.TestModels;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routing snapshot as the control plane serves it, read the way every data-plane
 * service reads it (the contract's records with {@link SnapshotJson}'s settings).
 */
@ControlPlaneIntegrationTest
class RoutingSnapshotContractIntegrationTests {

	private final JsonMapper json = SnapshotJson.mapper();

	@Autowired
	AdminApi api;

	@Test
	void whatTheControlPlaneServesReadsIntoTheContractWithNothingLeftOverAndNothingDefaulted() throws Exception {
		assertThat(this.api.postJson("/api/v1/feature-views", """
				{"name": "contract_cards", "version": 1, "entityKeys": ["card_id"], "maxAgeSeconds": 600,
				 "onMissing": "defaults", "onStale": "reject",
				 "features": [{"name": "account_age_days", "dtype": "FP32", "defaultValue": 0.5},
				              {"name": "txn_count_24h", "dtype": "FP32", "defaultValue": 0}]}""").status())
			.isEqualTo(201);
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"contract-fraud\"}").status()).isEqualTo(201);
		byte[] model = Files.readAllBytes(TestModels.fraudClassifier());
		String binding = """
				{"featureBinding": {"featureView": {"name": "contract_cards", "version": 1},
				 "requestFeatures": [{"name": "amount", "dtype": "FP32"}],
				 "inputs": {"input": ["account_age_days", "amount", "txn_count_24h"]}}}""";
		for (int i = 0; i < 3; i++) {
			Response uploaded = this.api.upload("contract-fraud", model, binding);
			assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
		}
		Response deployed = this.api.send(this.api.request("/api/v1/deployments/contract-fraud")
			.header("Content-Type", "application/json")
			.PUT(java.net.http.HttpRequest.BodyPublishers.ofString("""
					{"model": "contract-fraud", "pool": "contract-pool", "stableVersion": 1,
					 "canary": {"version": 2, "weightBasisPoints": 2500}, "shadow": {"version": 3, "percent": 10},
					 "stickyKey": "header:X-Entity-Key", "timeoutMs": 750,
					 "batching": {"maxBatchSize": 8, "maxQueueDelayMicros": 500}}""")));
		assertThat(deployed.status()).as(deployed.toString()).isEqualTo(201);
		assertThat(this.api.postJson("/api/v1/clients", """
				{"clientId": "contract-app", "scopes": ["predict:contract-fraud"], "tenant": "acme",
				 "ratePlan": {"requestsPerSecond": 7.5, "burst": 20, "dailyQuota": 5000}}""").status()).isEqualTo(201);

		Response served = this.api.get("/api/v1/routing");
		RoutingSnapshot snapshot = SnapshotJson.read(this.json, served.bytes());

		assertThat(served.header("ETag")).isEqualTo("\"" + snapshot.revision() + "\"");
		RoutingSnapshot.Deployment deployment = snapshot.deployments()
			.stream()
			.filter((d) -> d.name().equals("contract-fraud"))
			.findFirst()
			.orElseThrow();
		assertThat(deployment.model()).isEqualTo("contract-fraud");
		assertThat(deployment.pool()).isEqualTo("contract-pool");
		assertThat(deployment.stable().version()).isEqualTo(1);
		assertThat(deployment.stable().digest()).hasSize(64);
		assertThat(deployment.stable().sizeBytes()).isEqualTo(model.length);
		assertThat(deployment.stable().artifactPath()).isEqualTo("/api/v1/models/contract-fraud/versions/1/artifact");
		assertThat(deployment.stable().signature().inputs().get(0).name()).isEqualTo("input");
		assertThat(deployment.stable().signature().inputs().get(0).datatype()).isEqualTo("FP32");
		assertThat(deployment.canary().version()).isEqualTo(2);
		assertThat(deployment.canaryWeightBasisPoints()).isEqualTo(2500);
		assertThat(deployment.shadow().version()).isEqualTo(3);
		assertThat(deployment.shadowPercent()).isEqualTo(10);
		assertThat(deployment.stickyKey()).isEqualTo("header:X-Entity-Key");
		assertThat(deployment.salt()).isNotEmpty();
		assertThat(deployment.timeoutMs()).isEqualTo(750);
		assertThat(deployment.batching()).isEqualTo(new RoutingSnapshot.Batching(8, 500));
		RoutingSnapshot.FeatureBinding featureBinding = deployment.stable().featureBinding();
		assertThat(featureBinding.featureView()).isEqualTo(new RoutingSnapshot.FeatureViewRef("contract_cards", 1));
		assertThat(featureBinding.requestFeatures())
			.containsExactly(new RoutingSnapshot.Feature("amount", "FP32", null));
		assertThat(featureBinding.inputs()).containsEntry("input",
				java.util.List.of("account_age_days", "amount", "txn_count_24h"));
		RoutingSnapshot.FeatureView view = snapshot.featureView("contract_cards", 1);
		assertThat(view.entityKeys()).containsExactly("card_id");
		assertThat(view.maxAgeSeconds()).isEqualTo(600);
		assertThat(view.onMissing()).isEqualTo(RoutingSnapshot.RowPolicy.DEFAULTS);
		assertThat(view.onStale()).isEqualTo(RoutingSnapshot.RowPolicy.REJECT);
		assertThat(view.features().get(0).dtype()).isEqualTo("FP32");
		assertThat(view.features().get(0).defaultValue().doubleValue()).isEqualTo(0.5);
		assertThat(view.features().get(1).defaultValue().intValue()).isZero();
		assertThat(view.createdAt()).isNotNull();
		RoutingSnapshot.Client client = snapshot.clients()
			.stream()
			.filter((c) -> c.clientId().equals("contract-app"))
			.findFirst()
			.orElseThrow();
		assertThat(client.tenant()).isEqualTo("acme");
		assertThat(client.scopes()).containsExactly("predict:contract-fraud");
		assertThat(client.ratePlan()).isEqualTo(new RoutingSnapshot.RatePlan(7.5, 20, 5000L));
		assertThat(client.disabled()).isFalse();
		// Every member the control plane writes is one the contract knows: written back
		// from the records, the document says the same.
		assertThat(this.json.readTree(this.json.writeValueAsBytes(snapshot)))
			.isEqualTo(this.json.readTree(served.bytes()));
	}

}
