package io.servinglayer.controlplane.audit;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.TestModels;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

@ControlPlaneIntegrationTest
class AuditIntegrationTests {

	@Autowired
	AdminApi api;

	@Test
	void everyMutationWritesAnEventWithBeforeAfterAndTheRequestId() throws Exception {
		String etag = this.api
			.postJson("/api/v1/models", "{\"name\":\"audited\",\"owner\":\"a\"}", "X-Request-Id", "req-create-1")
			.header("ETag");
		this.api.patchJson("/api/v1/models/audited", "{\"owner\":\"b\"}", "If-Match", etag, "X-Request-Id",
				"req-update-1");
		this.api.upload("audited", Files.readAllBytes(TestModels.fraudClassifier()), null, "X-Request-Id",
				"req-upload-1");
		this.api.post("/api/v1/models/audited:archive", "X-Request-Id", "req-archive-1");

		JsonNode events = this.api.get("/api/v1/audit?target=audited").json().path("items");
		assertThat(actions(events)).containsExactly("model.archived", "model.updated", "model.created");
		JsonNode update = events.get(1);
		assertThat(update.path("actor").asString()).isEqualTo(ControlPlaneIntegrationTest.ADMIN_CLIENT);
		assertThat(update.path("targetType").asString()).isEqualTo("model");
		assertThat(update.path("requestId").asString()).isEqualTo("req-update-1");
		assertThat(update.path("before").path("owner").asString()).isEqualTo("a");
		assertThat(update.path("after").path("owner").asString()).isEqualTo("b");
		JsonNode create = events.get(2);
		assertThat(create.path("before").isNull()).isTrue();
		assertThat(create.path("after").path("name").asString()).isEqualTo("audited");

		JsonNode upload = this.api.get("/api/v1/audit?targetType=model-version&target=audited/1").json().path("items");
		assertThat(actions(upload)).containsExactly("model-version.created");
		assertThat(upload.get(0).path("requestId").asString()).isEqualTo("req-upload-1");
		assertThat(upload.get(0).path("after").path("digest").asString()).hasSize(64);
	}

	@Test
	void aRefusedChangeWritesNoEvent() {
		this.api.postJson("/api/v1/models", "{\"name\":\"guarded\"}");
		this.api.patchJson("/api/v1/models/guarded", "{\"owner\":\"x\"}", "If-Match", "\"99\"");
		this.api.postJson("/api/v1/models", "{\"name\":\"guarded\"}");
		this.api.upload("guarded", "not a model".getBytes(), null);

		assertThat(actions(this.api.get("/api/v1/audit?target=guarded").json().path("items")))
			.containsExactly("model.created");
		assertThat(this.api.get("/api/v1/audit?target=guarded/1").json().path("items").size()).isZero();
	}

	@Test
	void pagesEventsNewestFirstAndFiltersByActionAndTime() {
		for (int i = 0; i < 5; i++) {
			this.api.postJson("/api/v1/models", "{\"name\":\"paged-" + i + "\"}");
		}
		List<String> targets = new ArrayList<>();
		String token = null;
		do {
			JsonNode page = this.api
				.get("/api/v1/audit?action=model.created&pageSize=2" + ((token != null) ? "&pageToken=" + token : ""))
				.json();
			page.path("items").forEach((event) -> targets.add(event.path("target").asString()));
			token = page.path("nextPageToken").isString() ? page.path("nextPageToken").asString() : null;
		}
		while (token != null);
		assertThat(targets).containsSubsequence("paged-4", "paged-3", "paged-2", "paged-1", "paged-0");

		assertThat(this.api.get("/api/v1/audit?since=2999-01-01T00:00:00Z").json().path("items").size()).isZero();
		assertThat(this.api.get("/api/v1/audit?until=2000-01-01T00:00:00Z").json().path("items").size()).isZero();
		assertThat(this.api.get("/api/v1/audit?since=yesterday").status()).isEqualTo(400);
	}

	private static List<String> actions(JsonNode events) {
		List<String> actions = new ArrayList<>();
		events.forEach((event) -> actions.add(event.path("action").asString()));
		return actions;
	}

}
