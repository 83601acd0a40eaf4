package io.servinglayer.gateway.access;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The gateway's token decoder against a JWKS of the test's own issuer. */
class TokenAudienceTests {

	private static final String ISSUER = "http://issuer.test";

	private KeyPair keys;

	private HttpServer jwks;

	private ReactiveJwtDecoder decoder;

	@BeforeEach
	void serveTheSigningKey() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		this.keys = generator.generateKeyPair();
		byte[] body = new JWKSet(new RSAKey.Builder((RSAPublicKey) this.keys.getPublic()).keyID("k1").build())
			.toString()
			.getBytes(StandardCharsets.UTF_8);
		this.jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.jwks.createContext("/jwks", (exchange) -> {
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.jwks.start();
		URI jwkSetUri = URI.create("http://127.0.0.1:" + this.jwks.getAddress().getPort() + "/jwks");
		this.decoder = AccessConfiguration.jwtDecoder(new AccessSettings(URI.create(ISSUER), jwkSetUri, "servinglayer",
				"predict:pinned", Duration.ofSeconds(5), Duration.ofMinutes(5), 100));
	}

	@AfterEach
	void stop() {
		this.jwks.stop(0);
	}

	private String token(String audience) throws Exception {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER)
			.subject("demo")
			.audience(List.of(audience))
			.claim("scope", List.of("predict"))
			.issueTime(new Date())
			.expirationTime(Date.from(Instant.now().plusSeconds(300)))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims);
		jwt.sign(new RSASSASigner(this.keys.getPrivate()));
		return jwt.serialize();
	}

	@Test
	void aTokenOfTheRightIssuerForTheGatewaysAudienceIsAccepted() throws Exception {
		assertThat(this.decoder.decode(token("servinglayer")).block().getSubject()).isEqualTo("demo");
	}

	@Test
	void aTokenOfTheRightIssuerAndKeyForAnotherAudienceIsRefused() throws Exception {
		String other = token("billing");
		assertThatExceptionOfType(JwtValidationException.class).isThrownBy(() -> this.decoder.decode(other).block())
			.withMessageContaining("aud");
	}

}
