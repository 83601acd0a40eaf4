package io.servinglayer.controlplane.signingkey;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneApplication;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

@ControlPlaneIntegrationTest
class SigningKeysIntegrationTests {

	@Autowired
	AdminApi api;

	@Autowired
	Environment environment;

	@Test
	void aTokenIssuedBeforeARestartStillValidatesAfterItAndOnAnotherReplica() throws Exception {
		String token = this.api.token(ControlPlaneIntegrationTest.ADMIN_CLIENT,
				ControlPlaneIntegrationTest.ADMIN_SECRET);

		// A second control plane on the same database: what a restarted process, or
		// another replica, sees.
		try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(ControlPlaneApplication.class).run(
				"--server.port=0", "--spring.datasource.url=" + this.environment.getProperty("spring.datasource.url"),
				"--spring.datasource.username=" + this.environment.getProperty("spring.datasource.username"),
				"--spring.datasource.password=" + this.environment.getProperty("spring.datasource.password"),
				"--servinglayer.control-plane.access.issuer=" + ControlPlaneIntegrationTest.ISSUER,
				"--servinglayer.control-plane.signing-keys.key-encryption-key="
						+ ControlPlaneIntegrationTest.KEY_ENCRYPTION_KEY,
				"--servinglayer.control-plane.state-directory=" + ControlPlaneIntegrationTest.STATE_DIRECTORY)) {
			String port = restarted.getEnvironment().getProperty("local.server.port");
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/models"))
					.header("Authorization", "Bearer " + token)
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		}
	}

	@Test
	void afterARotationTokensOfThePreviousKeyStayValidUntilTheNextRotationRetiresIt() {
		String beforeRotation = this.api.token(ControlPlaneIntegrationTest.ADMIN_CLIENT,
				ControlPlaneIntegrationTest.ADMIN_SECRET);
		String firstKid = kid(beforeRotation);

		Response rotation = this.api.post("/api/v1/signing-keys:rotate");
		assertThat(rotation.status()).as(rotation.toString()).isEqualTo(200);
		assertThat(rotation.json().path("previousKeyId").asString()).isEqualTo(firstKid);
		String afterRotation = this.api.token(ControlPlaneIntegrationTest.ADMIN_CLIENT,
				ControlPlaneIntegrationTest.ADMIN_SECRET);
		assertThat(kid(afterRotation)).isEqualTo(rotation.json().path("currentKeyId").asString())
			.isNotEqualTo(firstKid);

		JsonNode jwks = this.api.anonymous().get("/oauth2/jwks").json().path("keys");
		assertThat(jwks.size()).isEqualTo(2);
		jwks.forEach((key) -> assertThat(key.has("d")).as("private exponent published").isFalse());
		assertThat(this.api.as(beforeRotation).get("/api/v1/models").status()).isEqualTo(200);
		assertThat(this.api.as(afterRotation).get("/api/v1/models").status()).isEqualTo(200);

		assertThat(this.api.as(afterRotation).post("/api/v1/signing-keys:rotate").status()).isEqualTo(200);
		assertThat(this.api.as(beforeRotation).get("/api/v1/models").status()).isEqualTo(401);
		assertThat(this.api.as(afterRotation).get("/api/v1/models").status()).isEqualTo(200);
		assertThat(
				this.api.as(afterRotation).get("/api/v1/audit?action=signing-key.rotated").json().path("items").size())
			.isEqualTo(2);
	}

	@Test
	void onlyTheAdminScopeRotatesKeys() {
		// A fresh admin token: another test's rotations may have retired the key of the
		// cached one.
		AdminApi admin = this.api
			.as(this.api.token(ControlPlaneIntegrationTest.ADMIN_CLIENT, ControlPlaneIntegrationTest.ADMIN_SECRET));
		String secret = admin
			.postJson("/api/v1/clients",
					"{\"clientId\":\"pipeline\",\"scopes\":[\"deploy\",\"registry:write\"],\"tenant\":\"ci\"}")
			.json()
			.path("clientSecret")
			.asString();
		assertThat(this.api.as(this.api.token("pipeline", secret)).post("/api/v1/signing-keys:rotate").status())
			.isEqualTo(403);
	}

	private static String kid(String token) {
		String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
		return JsonMapper.builder().build().readTree(header).path("kid").asString();
	}

}
