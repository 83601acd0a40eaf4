package io.servinglayer.gateway.routing;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingTableTests {

	private static RoutingTable table(String json) {
		return RoutingTable.from(JsonMapper.builder().build().readTree(json));
	}

	@Test
	void aBadClientRowIsSkippedAndTheRestOfTheSnapshotApplies() {
		RoutingTable table = table("""
				{"revision": 7,
				 "deployments": [{"name": "fraud", "stable": {"version": 1}, "timeoutMs": 500}],
				 "clients": [
				   {"clientId": "broken", "ratePlan": {"requestsPerSecond": 0, "burst": 10}},
				   {"clientId": "good", "scopes": ["predict"], "ratePlan": {"requestsPerSecond": 5, "burst": 10}}]}
				""");
		assertThat(table.revision()).isEqualTo(7);
		assertThat(table.client("broken")).isNull();
		assertThat(table.client("good").ratePlan().requestsPerSecond()).isEqualTo(5);
		assertThat(table.deployment("fraud").timeoutMs()).isEqualTo(500);
	}

	@Test
	void deploymentsWithoutAStableVersionOrAPositiveTimeoutAreSkipped() {
		RoutingTable table = table("""
				{"revision": 8, "deployments": [
				  {"name": "nostable", "timeoutMs": 500},
				  {"name": "notimeout", "stable": {"version": 1}, "timeoutMs": 0},
				  {"name": "fine", "stable": {"version": 2}}]}
				""");
		assertThat(table.deployment("nostable")).isNull();
		assertThat(table.deployment("notimeout")).isNull();
		assertThat(table.deployment("fine").stable()).isEqualTo(2);
	}

	@Test
	void aDailyQuotaOfZeroMeansNoDailyQuota() {
		RoutingTable table = table("""
				{"revision": 9, "clients": [
				  {"clientId": "zero", "ratePlan": {"requestsPerSecond": 5, "burst": 10, "dailyQuota": 0}}]}
				""");
		assertThat(table.client("zero").ratePlan().dailyQuota()).isNull();
	}

}
