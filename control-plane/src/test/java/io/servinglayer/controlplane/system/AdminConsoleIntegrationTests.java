package io.servinglayer.controlplane.system;

import java.net.InetAddress;
import java.net.http.HttpRequest;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
		assertThat(console.body()).contains("Servinglayer").contains("/admin/js/app.js").contains("/admin/console.css");
		// Every asset comes from the admin-ui jar: the shell's module and stylesheet, and
		// the pages it imports.
		for (String asset : new String[] { "/admin/js/app.js", "/admin/js/pages/deployment.js",
				"/admin/console.css" }) {
			Response served = this.api.get(asset);
			assertThat(served.status()).as(asset).isEqualTo(200);
			assertThat(served.header("Content-Type")).as(asset)
				.startsWith(asset.endsWith(".css") ? "text/css" : "text/javascript");
		}

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
	void servesTheChartLibraryFromItsWebJarAndTheConsoleUnderAPolicyThatAllowsNothingElse() {
		// Without a version in the path: the WebJar on the classpath answers, offline.
		Response module = this.api.anonymous().get("/webjars/uplot/dist/uPlot.esm.js");
		Response stylesheet = this.api.anonymous().get("/webjars/uplot/dist/uPlot.min.css");
		Response console = this.api.get("/admin/index.html");
		Response page = this.api.get("/admin/js/pages/deployment.js");

		assertThat(module.status()).isEqualTo(200);
		assertThat(module.header("Content-Type")).startsWith("text/javascript");
		assertThat(module.body()).contains("export { uPlot as default }");
		assertThat(stylesheet.status()).isEqualTo(200);
		assertThat(stylesheet.header("Content-Type")).startsWith("text/css");
		assertThat(console.body()).contains("/webjars/uplot/dist/uPlot.min.css");
		for (Response response : new Response[] { console, page }) {
			assertThat(response.header("Content-Security-Policy")).as(response.toString())
				.isEqualTo("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
						+ "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
		}
		assertThat(this.api.get("/v3/api-docs").json().path("paths").has("/api/v1/deployments/{name}/traffic/history"))
			.isTrue();
	}

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource({ "GET, /api/v1/%2e%2e/x", "GET, /api/v1/models/%2F", "GET, /api/v1/models/a%00b", "GET, /no/such/path",
			"GET, /api/v1/models/a%5Cb", "DELETE, /api/v1/models", "GET, /api/v1/models/%2e%2e",
			"GET, /api/v1/audit?action=a%00b", "GET, /api/v1/models?pageToken=%00" })
	void answersAnUnknownMalformedOrRefusedPathWithAProblemDocument(String method, String path) {
		Response response = this.api.send(this.api.request(path).method(method, HttpRequest.BodyPublishers.noBody()));

		assertThat(response.status()).as(response.toString()).isIn(400, 404, 405);
		assertThat(response.header("Content-Type")).as(response.toString()).startsWith("application/problem+json");
		assertThat(response.json().path("status").asInt()).isEqualTo(response.status());
		assertThat(response.json().path("type").asString()).startsWith("https://servinglayer.dev/problems/");
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
