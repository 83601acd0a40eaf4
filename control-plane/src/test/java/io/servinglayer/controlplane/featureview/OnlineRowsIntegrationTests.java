package io.servinglayer.controlplane.featureview;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.controlplane.system.RedisNamespace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@ControlPlaneIntegrationTest
class OnlineRowsIntegrationTests {

	private static final String ROWS = "/api/v1/feature-views/accounts/versions/1/rows";

	@Autowired
	AdminApi api;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	RedisNamespace namespace;

	@BeforeEach
	void createTheView() {
		if (this.api.get("/api/v1/feature-views/accounts/versions/1").status() == 404) {
			Response created = this.api.postJson("/api/v1/feature-views", """
					{"name": "accounts", "version": 1, "entityKeys": ["account_id"], "maxAgeSeconds": 3600,
					 "features": [{"name": "age_days", "dtype": "FP32"}, {"name": "txn_count", "dtype": "INT64"},
					              {"name": "verified", "dtype": "BOOL"}, {"name": "country", "dtype": "BYTES"}]}""");
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
		}
	}

	private Map<Object, Object> stored(String entity) {
		return this.redis.opsForHash().entries(this.namespace.key("fs:accounts:1:" + entity));
	}

	@Test
	void writesEachRowAsAHashInTheDocumentedLayout() {
		Response response = this.api.postLines(ROWS,
				"""
						{"account_id": "a-1", "age_days": 12.5, "txn_count": 3, "verified": true, "country": "NL", "event_time": "2026-11-29T10:00:00Z"}
						{"account_id": 42, "age_days": 400, "txn_count": 0, "verified": false, "country": "DE", "event_time": 1700000000000}
						""");

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().path("received").asInt()).isEqualTo(2);
		assertThat(response.json().path("written").asInt()).isEqualTo(2);
		assertThat(stored("a-1")).containsExactlyInAnyOrderEntriesOf(Map.of("age_days", "12.5", "txn_count", "3",
				"verified", "true", "country", "NL", "@event_time", "1795946400000"));
		assertThat(stored("42")).containsEntry("age_days", "400.0").containsEntry("@event_time", "1700000000000");
	}

	@Test
	void skipsARowOlderThanTheOneStoredSoReplaysNeverGoBackInTime() {
		this.api.postLines(ROWS,
				"""
						{"account_id": "a-2", "age_days": 20, "txn_count": 5, "verified": true, "country": "NL", "event_time": 2000}""");

		Response older = this.api.postLines(ROWS,
				"""
						{"account_id": "a-2", "age_days": 10, "txn_count": 1, "verified": true, "country": "NL", "event_time": 1000}""");

		assertThat(older.json().path("written").asInt()).isZero();
		assertThat(older.json().path("olderThanStored").asInt()).isEqualTo(1);
		assertThat(stored("a-2")).containsEntry("age_days", "20.0").containsEntry("@event_time", "2000");
	}

	@Test
	void refusesAFileWithABrokenLineAndWritesNoneOfIt() {
		Response response = this.api.postLines(ROWS,
				"""
						{"account_id": "a-3", "age_days": 1, "txn_count": 1, "verified": true, "country": "NL", "event_time": 1}
						{"account_id": "a-4", "age_days": "old", "txn_count": 1.5, "verified": true, "country": "NL", "colour": "red"}
						not json
						""");

		assertThat(response.status()).as(response.toString()).isEqualTo(422);
		List<String> fields = new ArrayList<>();
		response.json().path("errors").forEach((error) -> fields.add(error.path("field").asString()));
		assertThat(fields).containsExactlyInAnyOrder("rows[1] (line 2).age_days", "rows[1] (line 2).txn_count",
				"rows[1] (line 2).event_time", "rows[1] (line 2).colour", "rows[2] (line 3)");
		assertThat(stored("a-3")).isEmpty();
	}

	@Test
	void answersAnUnknownViewVersionWith404AndAnotherMediaTypeWith415() {
		assertThat(this.api.postLines("/api/v1/feature-views/accounts/versions/7/rows", "{}").problemType())
			.isEqualTo("feature-view-not-found");
		Response json = this.api.postJson(ROWS, "{}");
		assertThat(json.status()).isEqualTo(415);
		assertThat(json.header("Content-Type")).startsWith("application/problem+json");
		assertThat(this.api.postLines(ROWS, "\n\n").status()).isEqualTo(422);
	}

	@Test
	void keepsRowPoliciesAndDefaultsWithTheView() {
		Response created = this.api.postJson("/api/v1/feature-views", """
				{"name": "with-defaults", "version": 1, "entityKeys": ["id"], "maxAgeSeconds": 60,
				 "onMissing": "defaults", "onStale": "reject",
				 "features": [{"name": "score", "dtype": "FP32", "defaultValue": 0.5}]}""");

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		Response read = this.api.get("/api/v1/feature-views/with-defaults/versions/1");
		assertThat(read.json().path("onMissing").asString()).isEqualTo("defaults");
		assertThat(read.json().path("onStale").asString()).isEqualTo("reject");
		assertThat(read.json().path("features").get(0).path("defaultValue").asDouble()).isEqualTo(0.5);
		assertThat(this.api.get("/api/v1/feature-views/accounts/versions/1").json().path("onStale").asString())
			.isEqualTo("serve-stale");
	}

	@Test
	void refusesPoliciesThatCannotBeHonoured() {
		String view = """
				{"name": "bad-policy", "version": 1, "entityKeys": ["id"], "maxAgeSeconds": 60, %s,
				 "features": [{"name": "score", "dtype": "FP32"%s}]}""";
		assertThat(field(this.api.postJson("/api/v1/feature-views", view.formatted("\"onMissing\": \"defaults\"", ""))))
			.contains("features[0].defaultValue");
		assertThat(field(this.api.postJson("/api/v1/feature-views",
				view.formatted("\"onStale\": \"defaults\"", ", \"defaultValue\": \"high\""))))
			.contains("features[0].defaultValue");
		assertThat(
				field(this.api.postJson("/api/v1/feature-views", view.formatted("\"onMissing\": \"serve-stale\"", ""))))
			.contains("onMissing");
		assertThat(this.api.get("/api/v1/feature-views/bad-policy/versions").status()).isEqualTo(404);
	}

	private static List<String> field(Response response) {
		assertThat(response.status()).as(response.toString()).isEqualTo(422);
		List<String> fields = new ArrayList<>();
		response.json().path("errors").forEach((error) -> fields.add(error.path("field").asString()));
		return fields;
	}

}
