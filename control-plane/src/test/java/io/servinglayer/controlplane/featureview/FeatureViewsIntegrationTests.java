package io.servinglayer.controlplane.featureview;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

@ControlPlaneIntegrationTest
class FeatureViewsIntegrationTests {

	private static final String VALID = """
			{"name": "%s", "version": %d, "description": "card activity", "entityKeys": ["card_id"],
			 "features": [{"name": "txn_count_24h", "dtype": "INT64"}, {"name": "avg_amount", "dtype": "FP32"}],
			 "maxAgeSeconds": 3600}""";

	@Autowired
	AdminApi api;

	@Test
	void createsAFeatureViewVersionAndReadsItBack() {
		Response created = this.api.postJson("/api/v1/feature-views", VALID.formatted("cards", 1));

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.header("Location")).isEqualTo("/api/v1/feature-views/cards/versions/1");
		Response read = this.api.get("/api/v1/feature-views/cards/versions/1");
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.json()).isEqualTo(created.json());
		assertThat(read.json().path("entityKeys").toString()).isEqualTo("[\"card_id\"]");
		assertThat(read.json().path("features").get(0).path("dtype").asString()).isEqualTo("INT64");
		assertThat(read.json().path("maxAgeSeconds").asLong()).isEqualTo(3600);
	}

	@Test
	void versionsAreImmutableSoASecondCreateOfOneVersionIsRefused() {
		assertThat(this.api.postJson("/api/v1/feature-views", VALID.formatted("immutable", 1)).status()).isEqualTo(201);

		Response again = this.api.postJson("/api/v1/feature-views",
				VALID.formatted("immutable", 1).replace("card activity", "changed"));

		assertThat(again.status()).isEqualTo(409);
		assertThat(again.problemType()).isEqualTo("feature-view-exists");
		assertThat(again.json().path("detail").asString()).contains("create version 2");
		assertThat(this.api.get("/api/v1/feature-views/immutable/versions/1").json().path("description").asString())
			.isEqualTo("card activity");
	}

	@Test
	void listsTheNewestVersionOfEachViewAndEveryVersionOfOne() {
		this.api.postJson("/api/v1/feature-views", VALID.formatted("listed-a", 1));
		this.api.postJson("/api/v1/feature-views", VALID.formatted("listed-a", 2));
		this.api.postJson("/api/v1/feature-views", VALID.formatted("listed-b", 1));

		List<String> newest = new ArrayList<>();
		this.api.get("/api/v1/feature-views?pageSize=500")
			.json()
			.path("items")
			.forEach((view) -> newest.add(view.path("name").asString() + "/" + view.path("version").asInt()));
		assertThat(newest).contains("listed-a/2", "listed-b/1").doesNotContain("listed-a/1");

		Response versions = this.api.get("/api/v1/feature-views/listed-a/versions");
		assertThat(versions.json().size()).isEqualTo(2);
		assertThat(this.api.get("/api/v1/feature-views/nothing/versions").status()).isEqualTo(404);
		Response missing = this.api.get("/api/v1/feature-views/listed-a/versions/9");
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.problemType()).isEqualTo("feature-view-not-found");
	}

	static Stream<Arguments> invalidViews() {
		return Stream.of(Arguments.of("upper-case name", VALID.formatted("Cards", 1), "name"),
				Arguments.of("version zero", VALID.formatted("rejected", 0), "version"),
				Arguments.of("no entity keys", VALID.formatted("rejected", 1).replace("[\"card_id\"]", "[]"),
						"entityKeys"),
				Arguments.of("no features",
						"""
								{"name": "rejected", "version": 1, "entityKeys": ["card_id"], "features": [], "maxAgeSeconds": 60}""",
						"features"),
				Arguments.of("unknown dtype", VALID.formatted("rejected", 1).replace("\"INT64\"", "null"),
						"features[0].dtype"),
				Arguments.of("feature named like the entity key",
						VALID.formatted("rejected", 1).replace("txn_count_24h", "card_id"), "features[0].name"),
				Arguments.of("feature name with a space",
						VALID.formatted("rejected", 1).replace("avg_amount", "avg amount"), "features[1].name"),
				Arguments.of("no max age", VALID.formatted("rejected", 1).replace("3600", "0"), "maxAgeSeconds"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidViews")
	void rejectsAnInvalidViewNamingTheField(String description, String body, String field) {
		Response response = this.api.postJson("/api/v1/feature-views", body);

		assertThat(response.status()).as(response.toString()).isEqualTo(422);
		List<String> fields = new ArrayList<>();
		response.json().path("errors").forEach((error) -> fields.add(error.path("field").asString()));
		assertThat(fields).contains(field);
		assertThat(this.api.get("/api/v1/feature-views/rejected/versions").status()).isEqualTo(404);
	}

	@Test
	void answersAnUnknownDatatypeNameAsAMalformedRequest() {
		Response response = this.api.postJson("/api/v1/feature-views",
				VALID.formatted("typed", 1).replace("\"INT64\"", "\"LONG\""));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
	}

}
