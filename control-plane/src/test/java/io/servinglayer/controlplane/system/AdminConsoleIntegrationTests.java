package io.servinglayer.controlplane.system;

import java.net.InetAddress;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parts of the control plane every operator touches first: console, API docs, health,
 * metrics.
 */
@ControlPlaneIntegrationTest
class AdminConsoleIntegrationTests {

	@Autowired
	AdminApi api;

	@Autowired
	WebServerApplicationContext context;

	@Test
	void listensOnTheLoopbackAddressOnlyUnlessToldOtherwise() {
		TomcatWebServer server = (TomcatWebServer) this.context.getWebServer();

		Object address = server.getTomcat().getConnector().getProperty("address");

		assertThat(address).isInstanceOf(InetAddress.class);
		assertThat(((InetAddress) address).isLoopbackAddress()).as(String.valueOf(address)).isTrue();
	}

	@Test
	void servesTheConsoleTheOpenApiDocumentHealthAndMetrics() {

		Response console = this.api.get("/admin/index.html");
		assertThat(console.status()).isEqualTo(200);
		assertThat(console.body()).contains("Servinglayer").contains("/api/v1/models");

		Response openApi = this.api.get("/v3/api-docs");
		assertThat(openApi.status()).isEqualTo(200);
		assertThat(openApi.json().path("paths").has("/api/v1/models/{model}/versions")).isTrue();
		assertThat(openApi.json().path("paths").has("/api/v1/feature-views")).isTrue();
		assertThat(openApi.json().path("paths").has("/api/v1/audit")).isTrue();

		assertThat(this.api.get("/actuator/health/readiness").status()).isEqualTo(200);
		assertThat(this.api.get("/actuator/health/liveness").status()).isEqualTo(200);
		assertThat(this.api.get("/actuator/prometheus").body()).contains("http_server_requests_seconds");
	}

	@Test
	void answersAnUnknownPathWithANotFoundProblemAndEchoesTheRequestId() {
		Response response = this.api.get("/api/v1/nothing-here", "X-Request-Id", "trace-me-42");

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.header("X-Request-Id")).isEqualTo("trace-me-42");
		assertThat(response.json().path("requestId").asString()).isEqualTo("trace-me-42");
	}

}
