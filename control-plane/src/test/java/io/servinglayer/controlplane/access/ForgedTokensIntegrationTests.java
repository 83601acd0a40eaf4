package io.servinglayer.controlplane.access;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens an attacker could make are refused. Most are signed with the control plane's
 * real key (read from its database and decrypted with the test's key-encryption key), so
 * each case fails for the one reason it names.
 */
@ControlPlaneIntegrationTest
class ForgedTokensIntegrationTests {

	@Autowired
	AdminApi api;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aGenuineTokenSignedTheSameWayIsAccepted() throws Exception {
		String token = sign(realKey(), claims().build());
		assertThat(this.api.as(token).get("/api/v1/models").status()).isEqualTo(200);
	}

	static Stream<Arguments> forgeries() {
		return Stream.of(Arguments.of("alg none", (Forgery) (test) -> new PlainJWT(test.claims().build()).serialize()),
				Arguments.of("signed by an unknown key",
						(Forgery) (test) -> sign(newKey("unknown"), test.claims().build())),
				Arguments.of("signed by an unknown key under the real key's id",
						(Forgery) (test) -> sign(newKey(test.realKey().getKeyID()), test.claims().build())),
				Arguments.of("expired",
						(Forgery) (test) -> sign(test.realKey(),
								test.claims()
									.issueTime(Date.from(Instant.now().minusSeconds(3600)))
									.expirationTime(Date.from(Instant.now().minusSeconds(600)))
									.build())),
				Arguments.of("wrong issuer",
						(Forgery) (test) -> sign(test.realKey(), test.claims().issuer("http://evil.test").build())),
				Arguments.of("wrong audience",
						(Forgery) (test) -> sign(test.realKey(), test.claims().audience("someone-else").build())),
				Arguments.of("tampered payload", (Forgery) (test) -> {
					String token = test.api.token(ControlPlaneIntegrationTest.ADMIN_CLIENT,
							ControlPlaneIntegrationTest.ADMIN_SECRET);
					String[] parts = token.split("\\.");
					String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
						.replace(ControlPlaneIntegrationTest.ADMIN_CLIENT, "somebody-else");
					return parts[0] + "."
							+ Base64.getUrlEncoder()
								.withoutPadding()
								.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
							+ "." + parts[2];
				}), Arguments.of("not a JWT at all", (Forgery) (test) -> "not-a-token"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("forgeries")
	void refusesAForgedToken(String name, Forgery forgery) throws Exception {
		Response response = this.api.as(forgery.make(this)).get("/api/v1/models");

		assertThat(response.status()).as(response.toString()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).contains("invalid_token");
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.problemType()).isEqualTo("invalid-token");
	}

	JWTClaimsSet.Builder claims() {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().issuer(ControlPlaneIntegrationTest.ISSUER)
			.subject(ControlPlaneIntegrationTest.ADMIN_CLIENT)
			.audience(List.of("servinglayer"))
			.claim("scope", List.of("admin"))
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)));
	}

	/**
	 * The current signing key with its private part, as only someone holding both the
	 * database and the key-encryption key can have it: AES-256-GCM, nonce first, the kid
	 * as associated data.
	 */
	RSAKey realKey() {
		Map<String, Object> row = this.jdbc.sql("SELECT kid, private_jwk FROM signing_key WHERE state = 'CURRENT'")
			.query()
			.singleRow();
		try {
			byte[] value = (byte[]) row.get("private_jwk");
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE,
					new SecretKeySpec(Base64.getDecoder().decode(ControlPlaneIntegrationTest.KEY_ENCRYPTION_KEY),
							"AES"),
					new GCMParameterSpec(128, value, 0, 12));
			cipher.updateAAD(((String) row.get("kid")).getBytes(StandardCharsets.UTF_8));
			return RSAKey.parse(new String(cipher.doFinal(value, 12, value.length - 12), StandardCharsets.UTF_8));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static RSAKey newKey(String kid) {
		try {
			return new RSAKeyGenerator(2048).keyID(kid).generate();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String sign(RSAKey key, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(
					new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
					claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Makes one kind of forged token. */
	@FunctionalInterface
	interface Forgery {

		String make(ForgedTokensIntegrationTests test) throws Exception;

	}

}
