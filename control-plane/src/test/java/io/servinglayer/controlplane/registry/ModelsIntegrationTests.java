package io.servinglayer.controlplane.registry;

import java.util.ArrayList;
import java.util.List;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

@ControlPlaneIntegrationTest
class ModelsIntegrationTests {

	@Autowired
	AdminApi api;

	@Test
	void createsAModelAndReadsItBackWithItsETag() {
		Response created = this.api.postJson("/api/v1/models",
				"{\"name\":\"churn\",\"description\":\"Who leaves\",\"owner\":\"ml-team\",\"tags\":{\"team\":\"growth\"}}");

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.header("Location")).isEqualTo("/api/v1/models/churn");
		assertThat(created.header("ETag")).isEqualTo("\"1\"");
		assertThat(created.header("Content-Type")).startsWith("application/json");
		Response read = this.api.get("/api/v1/models/churn");
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.header("ETag")).isEqualTo("\"1\"");
		JsonNode model = read.json();
		assertThat(model.path("name").asString()).isEqualTo("churn");
		assertThat(model.path("description").asString()).isEqualTo("Who leaves");
		assertThat(model.path("owner").asString()).isEqualTo("ml-team");
		assertThat(model.path("tags").path("team").asString()).isEqualTo("growth");
		assertThat(model.path("latestVersion").asInt()).isZero();
		assertThat(model.path("archived").asBoolean()).isFalse();
		assertThat(model.path("createdBy").asString()).isEqualTo(ControlPlaneIntegrationTest.ADMIN_CLIENT);
		assertThat(model.path("createdAt").asString()).isEqualTo(created.json().path("createdAt").asString());
	}

	@ParameterizedTest(name = "\"{0}\"")
	@ValueSource(strings = { "Fraud", "-fraud", "fraud-", "fraud_model", "fraud.v2", "",
			"a123456789012345678901234567890123456789012345678901234567890123" })
	void rejectsANameThatIsNotADnsLabel(String name) {
		Response response = this.api.postJson("/api/v1/models", "{\"name\":\"" + name + "\"}");

		assertThat(response.status()).as(response.toString()).isEqualTo(422);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.problemType()).isEqualTo("invalid-request");
		assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("name");
		assertThat(names(this.api.get("/api/v1/models?includeArchived=true&pageSize=500"))).doesNotContain(name);
	}

	@Test
	void refusesASecondModelWithTheSameName() {
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"twice\"}").status()).isEqualTo(201);

		Response second = this.api.postJson("/api/v1/models", "{\"name\":\"twice\",\"description\":\"again\"}");

		assertThat(second.status()).isEqualTo(409);
		assertThat(second.problemType()).isEqualTo("model-exists");
		assertThat(this.api.get("/api/v1/models/twice").json().path("description").asString()).isEmpty();
	}

	@Test
	void answersAnUnknownModelWithANotFoundProblem() {
		Response response = this.api.get("/api/v1/models/nobody");

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.problemType()).isEqualTo("model-not-found");
		assertThat(response.json().path("detail").asString()).contains("nobody");
		assertThat(response.json().path("requestId").asString()).isEqualTo(response.header("X-Request-Id"));
	}

	@Test
	void listsModelsByNameInPagesAndFiltersByTag() {
		for (String name : List.of("m-c", "m-a", "m-e", "m-b", "m-d")) {
			String team = name.equals("m-a") || name.equals("m-d") ? "risk" : "growth";
			assertThat(this.api
				.postJson("/api/v1/models",
						"{\"name\":\"" + name + "\",\"tags\":{\"team\":\"" + team + "\",\"tier\":\"1\"}}")
				.status()).isEqualTo(201);
		}
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"m-untagged\"}").status()).isEqualTo(201);

		List<String> names = new ArrayList<>();
		String token = null;
		int pages = 0;
		do {
			Response page = this.api.get("/api/v1/models?pageSize=2" + ((token != null) ? "&pageToken=" + token : ""));
			assertThat(page.status()).isEqualTo(200);
			page.json().path("items").forEach((item) -> names.add(item.path("name").asString()));
			JsonNode next = page.json().path("nextPageToken");
			token = next.isNull() || next.isMissingNode() ? null : next.asString();
			pages++;
		}
		while (token != null);
		assertThat(names).containsExactly("m-a", "m-b", "m-c", "m-d", "m-e", "m-untagged");
		assertThat(pages).isEqualTo(3);

		assertThat(names(this.api.get("/api/v1/models?tag=team:risk"))).containsExactly("m-a", "m-d");
		assertThat(names(this.api.get("/api/v1/models?tag=tier"))).containsExactly("m-a", "m-b", "m-c", "m-d", "m-e");
		assertThat(this.api.get("/api/v1/models?pageSize=0").status()).isEqualTo(400);
		assertThat(this.api.get("/api/v1/models?pageToken=%21%21").status()).isEqualTo(400);
	}

	@Test
	void updatesWithTheCurrentETagAndRefusesAStaleOrMissingOne() {
		Response created = this.api.postJson("/api/v1/models", "{\"name\":\"editable\",\"owner\":\"a\"}");
		String etag = created.header("ETag");

		Response missing = this.api.patchJson("/api/v1/models/editable", "{\"owner\":\"b\"}");
		assertThat(missing.status()).isEqualTo(428);
		assertThat(missing.problemType()).isEqualTo("if-match-required");

		Response updated = this.api.patchJson("/api/v1/models/editable", "{\"owner\":\"b\",\"tags\":{\"x\":\"y\"}}",
				"If-Match", etag);
		assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
		assertThat(updated.header("ETag")).isEqualTo("\"2\"");
		assertThat(updated.json().path("owner").asString()).isEqualTo("b");
		assertThat(updated.json().path("tags").path("x").asString()).isEqualTo("y");

		Response stale = this.api.patchJson("/api/v1/models/editable", "{\"owner\":\"c\"}", "If-Match", etag);
		assertThat(stale.status()).isEqualTo(412);
		assertThat(stale.problemType()).isEqualTo("stale-etag");
		assertThat(stale.json().path("detail").asString()).contains("\"2\"");
		assertThat(this.api.get("/api/v1/models/editable").json().path("owner").asString()).isEqualTo("b");
	}

	@Test
	void archivedModelsLeaveTheDefaultListingAndTakeNoNewVersions() throws Exception {
		this.api.postJson("/api/v1/models", "{\"name\":\"retired\"}");

		Response archived = this.api.post("/api/v1/models/retired:archive");
		assertThat(archived.status()).as(archived.toString()).isEqualTo(200);
		assertThat(archived.json().path("archived").asBoolean()).isTrue();
		assertThat(this.api.post("/api/v1/models/retired:archive").header("ETag")).isEqualTo(archived.header("ETag"));

		assertThat(names(this.api.get("/api/v1/models"))).doesNotContain("retired");
		assertThat(names(this.api.get("/api/v1/models?includeArchived=true"))).contains("retired");
		Response upload = this.api.upload("retired",
				java.nio.file.Files.readAllBytes(io.servinglayer.testsupport.TestModels.fraudClassifier()), null);
		assertThat(upload.status()).isEqualTo(409);
		assertThat(upload.problemType()).isEqualTo("model-archived");
		Response patch = this.api.patchJson("/api/v1/models/retired", "{\"owner\":\"x\"}", "If-Match",
				archived.header("ETag"));
		assertThat(patch.status()).isEqualTo(409);
	}

	@Test
	void answersMalformedJsonUnknownFieldsAndWrongContentTypeWithProblems() {
		Response malformed = this.api.postJson("/api/v1/models", "{\"name\": ");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.problemType()).isEqualTo("malformed-request");

		Response unknownField = this.api.postJson("/api/v1/models", "{\"name\":\"typo\",\"descripton\":\"x\"}");
		assertThat(unknownField.status()).isEqualTo(400);
		assertThat(this.api.get("/api/v1/models/typo").status()).isEqualTo(404);

		Response wrongType = this.api.send(this.api.request("/api/v1/models")
			.header("Content-Type", "text/plain")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("name=x")));
		assertThat(wrongType.status()).isEqualTo(415);
		assertThat(wrongType.header("Content-Type")).startsWith("application/problem+json");
		assertThat(wrongType.problemType()).isEqualTo("unsupported-media-type");
	}

	@Test
	void refusesABodyOverTheLimitWith413WhetherItsLengthIsDeclaredOrNot() {
		String huge = "{\"name\":\"big\",\"description\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";

		Response declared = this.api.postJson("/api/v1/models", huge);
		assertThat(declared.status()).isEqualTo(413);
		assertThat(declared.problemType()).isEqualTo("payload-too-large");

		Response chunked = this.api.send(this.api.request("/api/v1/models")
			.header("Content-Type", "application/json")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
					() -> new java.io.ByteArrayInputStream(huge.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
		assertThat(chunked.status()).as(chunked.toString()).isEqualTo(413);
		assertThat(chunked.problemType()).isEqualTo("payload-too-large");

		Response keyed = this.api.postJson("/api/v1/models", huge, "Idempotency-Key", "big-1");
		assertThat(keyed.status()).isEqualTo(413);
		assertThat(this.api.get("/api/v1/models/big").status()).isEqualTo(404);
	}

	private static List<String> names(Response page) {
		List<String> names = new ArrayList<>();
		page.json().path("items").forEach((item) -> names.add(item.path("name").asString()));
		return names;
	}

}
