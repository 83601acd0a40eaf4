package io.servinglayer.controlplane.idempotency;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.TestModels;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

@ControlPlaneIntegrationTest
class IdempotencyIntegrationTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AdminApi api;

	@Test
	void aReplayedKeyWithTheSameBodyGetsTheFirstAnswerAndNoSecondEffect() {
		Response first = this.api.postJson("/api/v1/models", "{\"name\":\"once\"}", "Idempotency-Key", "key-once");
		Response second = this.api.postJson("/api/v1/models", "{\"name\":\"once\"}", "Idempotency-Key", "key-once");

		assertThat(first.status()).isEqualTo(201);
		assertThat(second.status()).isEqualTo(201);
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(second.header("Location")).isEqualTo(first.header("Location"));
		assertThat(second.header("ETag")).isEqualTo(first.header("ETag"));
		assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(first.header("Idempotent-Replayed")).isNull();
		assertThat(auditEvents("once")).isEqualTo(1);
	}

	@Test
	void aReplayedUploadGetsTheSameVersionNumberAndCreatesNoOtherVersion() throws Exception {
		this.api.postJson("/api/v1/models", "{\"name\":\"upload-once\"}");
		byte[] model = Files.readAllBytes(TestModels.fraudClassifier());

		Response first = this.api.upload("upload-once", model, "{\"label\":\"a\"}", "Idempotency-Key", "upload-1");
		Response retry = this.api.upload("upload-once", model, "{\"label\":\"a\"}", "Idempotency-Key", "upload-1");

		assertThat(first.status()).as(first.toString()).isEqualTo(201);
		assertThat(retry.status()).isEqualTo(201);
		assertThat(retry.json().path("version").asInt()).isEqualTo(1);
		assertThat(this.api.get("/api/v1/models/upload-once").json().path("latestVersion").asInt()).isEqualTo(1);
	}

	@Test
	void theSameKeyWithAnotherBodyIsRefusedAndChangesNothing() {
		this.api.postJson("/api/v1/models", "{\"name\":\"first-body\"}", "Idempotency-Key", "key-reused");

		Response other = this.api.postJson("/api/v1/models", "{\"name\":\"second-body\"}", "Idempotency-Key",
				"key-reused");

		assertThat(other.status()).isEqualTo(422);
		assertThat(other.problemType()).isEqualTo("idempotency-key-reused");
		assertThat(this.api.get("/api/v1/models/second-body").status()).isEqualTo(404);
	}

	@Test
	void aRefusedRequestIsNotRememberedSoACorrectedRetryMayReuseItsKey() {
		Response refused = this.api.postJson("/api/v1/models", "{\"name\":\"Bad Name\"}", "Idempotency-Key", "key-fix");
		Response corrected = this.api.postJson("/api/v1/models", "{\"name\":\"good-name\"}", "Idempotency-Key",
				"key-fix");

		assertThat(refused.status()).isEqualTo(422);
		assertThat(corrected.status()).as(corrected.toString()).isEqualTo(201);
		assertThat(corrected.header("Idempotent-Replayed")).isNull();
	}

	@Test
	void concurrentRequestsWithOneKeyHaveOneEffect() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(4);
		List<Response> responses = new ArrayList<>();
		try {
			List<Future<Response>> futures = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				Callable<Response> call = () -> this.api.postJson("/api/v1/models", "{\"name\":\"raced\"}",
						"Idempotency-Key", "key-raced");
				futures.add(pool.submit(call));
			}
			for (Future<Response> future : futures) {
				responses.add(future.get(30, TimeUnit.SECONDS));
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(responses).allSatisfy((response) -> assertThat(response.status()).isEqualTo(201));
		assertThat(responses.stream().filter((response) -> response.header("Idempotent-Replayed") == null)).hasSize(1);
		assertThat(auditEvents("raced")).isEqualTo(1);
	}

	@Test
	void refusesAKeyThatIsNotAPrintableToken() {
		Response response = this.api.postJson("/api/v1/models", "{\"name\":\"keyed\"}", "Idempotency-Key",
				"x".repeat(300));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.problemType()).isEqualTo("invalid-idempotency-key");
		assertThat(this.api.get("/api/v1/models/keyed").status()).isEqualTo(404);
	}

	private long auditEvents(String target) {
		return this.jdbc.sql("SELECT count(*) FROM audit_event WHERE target = ?")
			.param(target)
			.query(Long.class)
			.single();
	}

}
