package io.servinglayer.controlplane.system;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The parts of the control plane every operator touches first: console, API docs, health, metrics. */
@ControlPlaneIntegrationTest
class AdminConsoleIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void servesTheConsoleTheOpenApiDocumentHealthAndMetrics() {
		AdminApi api = new AdminApi(this.port);

		Response console = api.get("/admin/index.html");
		assertThat(console.status()).isEqualTo(200);
		assertThat(console.body()).contains("Servinglayer").contains("/api/v1/models");

		Response openApi = api.get("/v3/api-docs");
		assertThat(openApi.status()).isEqualTo(200);
		assertThat(openApi.json().path("paths").has("/api/v1/models/{model}/versions")).isTrue();
		assertThat(openApi.json().path("paths").has("/api/v1/feature-views")).isTrue();
		assertThat(openApi.json().path("paths").has("/api/v1/audit")).isTrue();

		assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
		assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
		assertThat(api.get("/actuator/prometheus").body()).contains("http_server_requests_seconds");
	}

	@Test
	void answersAnUnknownPathWithANotFoundProblemAndEchoesTheRequestId() {
		Response response = new AdminApi(this.port).get("/api/v1/nothing-here", "X-Request-Id", "trace-me-42");

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.header("X-Request-Id")).isEqualTo("trace-me-42");
		assertThat(response.json().path("requestId").asString()).isEqualTo("trace-me-42");
	}

}
