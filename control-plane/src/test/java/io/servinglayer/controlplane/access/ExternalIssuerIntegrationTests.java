package io.servinglayer.controlplane.access;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API trusts a configured external OIDC issuer beside the built-in one. The
 * issuer here is a small OIDC server of the test's own on loopback (discovery document
 * and JWKS), shaped like Entra ID: scopes in {@code scp} as a space-separated string, the
 * caller in {@code azp}.
 */
@ControlPlaneIntegrationTest
class ExternalIssuerIntegrationTests {

	private static final RSAKey key = generate();

	private static final HttpServer issuer = start();

	private static final String ISSUER_URI = "http://127.0.0.1:" + issuer.getAddress().getPort() + "/tenant-1";

	@Autowired
	AdminApi api;

	@DynamicPropertySource
	static void trustTheIssuer(DynamicPropertyRegistry registry) {
		registry.add("servinglayer.control-plane.access.external-issuers[0].issuer-uri", () -> ISSUER_URI);
		registry.add("servinglayer.control-plane.access.external-issuers[0].audience", () -> "api://servinglayer");
		registry.add("servinglayer.control-plane.access.external-issuers[0].scopes-claim", () -> "scp");
		registry.add("servinglayer.control-plane.access.external-issuers[0].client-id-claim", () -> "azp");
	}

	@AfterAll
	static void stop() {
		issuer.stop(0);
	}

	@Test
	void acceptsTheIssuersTokensMappingItsScopeAndCallerClaims() {
		AdminApi pipeline = this.api.as(token("api://servinglayer", "registry:read registry:write"));

		Response created = pipeline.postJson("/api/v1/models", "{\"name\":\"from-entra\"}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.json().path("createdBy").asString()).isEqualTo("github-actions");
		assertThat(pipeline.get("/api/v1/clients").status()).isEqualTo(403);
	}

	@Test
	void refusesTheIssuersTokensForAnotherAudience() {
		assertThat(this.api.as(token("api://someone-else", "registry:read")).get("/api/v1/models").status())
			.isEqualTo(401);
	}

	@Test
	void theBuiltInIssuerKeepsWorkingBesideIt() {
		assertThat(this.api.get("/api/v1/clients").status()).isEqualTo(200);
	}

	private static String token(String audience, String scopes) {
		Instant now = Instant.now();
		try {
			SignedJWT jwt = new SignedJWT(
					new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
					new JWTClaimsSet.Builder().issuer(ISSUER_URI)
						.subject("5f0c2a9e-service-principal")
						.audience(List.of(audience))
						.claim("azp", "github-actions")
						.claim("scp", scopes)
						.issueTime(Date.from(now))
						.expirationTime(Date.from(now.plusSeconds(300)))
						.build());
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static RSAKey generate() {
		try {
			return new RSAKeyGenerator(2048).keyID("external-1").generate();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static HttpServer start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/tenant-1/.well-known/openid-configuration",
					(exchange) -> respond(exchange, "{\"issuer\":\"" + ISSUER_URI + "\",\"jwks_uri\":\"" + ISSUER_URI
							+ "/keys\","
							+ "\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}"));
			server.createContext("/tenant-1/keys",
					(exchange) -> respond(exchange, new JWKSet(key.toPublicJWK()).toString()));
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void respond(HttpExchange exchange, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

}
