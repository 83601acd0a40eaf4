package io.servinglayer.controlplane.signingkey;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.text.ParseException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.servinglayer.controlplane.ControlPlaneApplication;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.TestPostgres;
import io.servinglayer.testsupport.TestRedis;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The signing keys' private parts are encrypted at rest under the key-encryption key
 * (KEK) from the configuration. Each test starts real control planes, one after another,
 * on a database of its own, as restarts of one deployment would.
 */
class SigningKeyEncryptionIntegrationTests {

	private static final String ADMIN = "kek-admin";

	private static final String ADMIN_SECRET = "kek-admin-secret-0123456789";

	private static final String ISSUER = "http://control-plane.test";

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final TestPostgres.Database database = TestPostgres.get().createDatabase();

	private final String redisPrefix = TestRedis.get().newKeyPrefix();

	@Test
	void theDatabaseHoldsNoPrivateKeyMaterialOnlyCiphertextUnderTheKeyEncryptionKey() throws Exception {
		String kek = newKek();
		try (ConfigurableApplicationContext controlPlane = start(
				"--servinglayer.control-plane.signing-keys.key-encryption-key=" + kek)) {
			assertThat(status(controlPlane, token(controlPlane))).isEqualTo(200);
		}

		List<Row> rows = rows();
		assertThat(rows).isNotEmpty();
		for (Row row : rows) {
			assertThat(row.kekId()).isEqualTo(kekId(kek));
			JWK publicKey = JWK.parse(row.jwk());
			assertThat(publicKey.isPrivate()).isFalse();
			assertThat(row.jwk()).doesNotContain("\"d\"").doesNotContain("\"p\"").doesNotContain("\"q\"");
			String ciphertext = new String(row.privateJwk(), StandardCharsets.ISO_8859_1);
			assertThat(ciphertext).doesNotContain("\"d\"").doesNotContain("RSA");
			assertThatThrownBy(() -> JWK.parse(ciphertext)).isInstanceOf(ParseException.class);
		}
	}

	@Test
	void aKeyStoredInPlainTextBeforeEncryptionAtRestIsEncryptedAtStartAndKeepsSigning() throws Exception {
		// The database as it was before encryption at rest, with a key in plain text.
		Flyway.configure()
			.dataSource(this.database.jdbcUrl(), this.database.username(), this.database.password())
			.locations("classpath:db/migration")
			.target("4")
			.load()
			.migrate();
		RSAKey legacy = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE)
			.algorithm(JWSAlgorithm.RS256)
			.keyID(UUID.randomUUID().toString())
			.generate();
		try (Connection connection = connect();
				PreparedStatement insert = connection.prepareStatement(
						"INSERT INTO signing_key (kid, state, jwk, created_at) VALUES (?, 'CURRENT', ?, ?)")) {
			insert.setString(1, legacy.getKeyID());
			insert.setString(2, legacy.toJSONString());
			insert.setObject(3, OffsetDateTime.now());
			insert.executeUpdate();
		}

		String kek = newKek();
		try (ConfigurableApplicationContext controlPlane = start(
				"--servinglayer.control-plane.signing-keys.key-encryption-key=" + kek)) {
			String token = token(controlPlane);
			assertThat(kid(token)).as("the legacy key still signs").isEqualTo(legacy.getKeyID());
			assertThat(status(controlPlane, token)).isEqualTo(200);
		}

		Row row = rows().get(0);
		assertThat(row.kid()).isEqualTo(legacy.getKeyID());
		assertThat(row.kekId()).isEqualTo(kekId(kek));
		assertThat(row.jwk()).doesNotContain("\"d\"");
	}

	@Test
	void aRotatedKeyEncryptionKeyReEncryptsTheKeysAndTokensKeepVerifyingAcrossRestarts(@TempDir Path folder)
			throws Exception {
		String oldKek = newKek();
		String newKek = newKek();
		String token;
		try (ConfigurableApplicationContext controlPlane = start(
				"--servinglayer.control-plane.signing-keys.key-encryption-key=" + oldKek)) {
			token = token(controlPlane);
		}
		try (ConfigurableApplicationContext restarted = start(
				"--servinglayer.control-plane.signing-keys.key-encryption-key=" + oldKek)) {
			assertThat(status(restarted, token)).as("a restart with the same KEK").isEqualTo(200);
		}
		assertThat(rows()).extracting(Row::kekId).containsOnly(kekId(oldKek));

		// The rotation: the new KEK is current, the old one is listed as previous.
		try (ConfigurableApplicationContext rotated = start(
				"--servinglayer.control-plane.signing-keys.key-encryption-key=" + newKek,
				"--servinglayer.control-plane.signing-keys.previous-key-encryption-keys[0]=" + oldKek)) {
			assertThat(status(rotated, token)).isEqualTo(200);
			assertThat(status(rotated, token(rotated))).isEqualTo(200);
		}
		assertThat(rows()).extracting(Row::kekId).containsOnly(kekId(newKek));

		// Then the old KEK is dropped; the new one is read from a file this time.
		Path file = folder.resolve("kek");
		Files.writeString(file, newKek + "\n");
		try (ConfigurableApplicationContext alone = start(
				"--servinglayer.control-plane.signing-keys.key-encryption-key-file=" + file)) {
			assertThat(status(alone, token)).isEqualTo(200);
		}
	}

	@Test
	void aWrongKeyEncryptionKeyRefusesToStartSayingWhichKeyTheSigningKeysNeed() throws Exception {
		String kek = newKek();
		try (ConfigurableApplicationContext controlPlane = start(
				"--servinglayer.control-plane.signing-keys.key-encryption-key=" + kek)) {
			token(controlPlane);
		}
		List<Row> before = rows();

		assertThatThrownBy(() -> start("--servinglayer.control-plane.signing-keys.key-encryption-key=" + newKek()))
			.rootCause()
			.hasMessageContaining("is encrypted under key-encryption key " + kekId(kek))
			.hasMessageContaining("servinglayer.control-plane.signing-keys.key-encryption-key")
			.hasMessageContaining("previous-key-encryption-keys");
		assertThat(rows()).usingRecursiveFieldByFieldElementComparator().isEqualTo(before);
	}

	@Test
	void withoutAKeyEncryptionKeyTheControlPlaneRefusesToStartNamingBothSettings() {
		assertThatThrownBy(() -> start()).rootCause()
			.hasMessageContaining("servinglayer.control-plane.signing-keys.key-encryption-key ")
			.hasMessageContaining("servinglayer.control-plane.signing-keys.key-encryption-key-file")
			.hasMessageContaining("SERVINGLAYER_CONTROLPLANE_SIGNINGKEYS_KEYENCRYPTIONKEYFILE");
	}

	@Test
	void aKeyEncryptionKeyOfTheWrongSizeIsRefusedNamingTheSetting() {
		String tooShort = Base64.getEncoder().encodeToString(new byte[16]);
		assertThatThrownBy(() -> start("--servinglayer.control-plane.signing-keys.key-encryption-key=" + tooShort))
			.rootCause()
			.hasMessageContaining("servinglayer.control-plane.signing-keys.key-encryption-key must be 32 bytes");
	}

	private ConfigurableApplicationContext start(String... extra) {
		TestRedis redis = TestRedis.get();
		List<String> args = new ArrayList<>(List.of("--server.port=0",
				"--spring.datasource.url=" + this.database.jdbcUrl(),
				"--spring.datasource.username=" + this.database.username(),
				"--spring.datasource.password=" + this.database.password(),
				"--spring.datasource.hikari.maximum-pool-size=3", "--spring.data.redis.host=" + redis.host(),
				"--spring.data.redis.port=" + redis.port(), "--servinglayer.redis.key-prefix=" + this.redisPrefix,
				"--servinglayer.control-plane.access.issuer=" + ISSUER,
				"--servinglayer.control-plane.bootstrap.admin-password=kek-admin-password",
				"--servinglayer.control-plane.bootstrap.clients[0].client-id=" + ADMIN,
				"--servinglayer.control-plane.bootstrap.clients[0].secret=" + ADMIN_SECRET,
				"--servinglayer.control-plane.bootstrap.clients[0].scopes=admin",
				"--servinglayer.control-plane.state-directory=" + ControlPlaneIntegrationTest.STATE_DIRECTORY));
		args.addAll(List.of(extra));
		return new SpringApplicationBuilder(ControlPlaneApplication.class).run(args.toArray(String[]::new));
	}

	private static String token(ConfigurableApplicationContext controlPlane) throws Exception {
		String basic = Base64.getEncoder()
			.encodeToString((ADMIN + ":" + URLEncoder.encode(ADMIN_SECRET, StandardCharsets.UTF_8))
				.getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(controlPlane, "/oauth2/token"))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JsonMapper.builder().build().readTree(response.body()).path("access_token").asString();
	}

	/** The status of a call to the admin API with {@code token}. */
	private static int status(ConfigurableApplicationContext controlPlane, String token) throws Exception {
		return http
			.send(HttpRequest.newBuilder(uri(controlPlane, "/api/v1/models"))
				.header("Authorization", "Bearer " + token)
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private static URI uri(ConfigurableApplicationContext controlPlane, String path) {
		return URI.create("http://localhost:" + controlPlane.getEnvironment().getProperty("local.server.port") + path);
	}

	private static String kid(String token) {
		String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
		return JsonMapper.builder().build().readTree(header).path("kid").asString();
	}

	private List<Row> rows() throws Exception {
		List<Row> rows = new ArrayList<>();
		try (Connection connection = connect();
				PreparedStatement select = connection
					.prepareStatement("SELECT kid, jwk, private_jwk, kek_id FROM signing_key ORDER BY created_at");
				ResultSet rs = select.executeQuery()) {
			while (rs.next()) {
				rows.add(new Row(rs.getString("kid"), rs.getString("jwk"), rs.getBytes("private_jwk"),
						rs.getString("kek_id")));
			}
		}
		return rows;
	}

	private Connection connect() throws Exception {
		return DriverManager.getConnection(this.database.jdbcUrl(), this.database.username(), this.database.password());
	}

	private static String newKek() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	private static String kekId(String kek) throws Exception {
		byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(kek));
		return HexFormat.of().formatHex(digest, 0, 8);
	}

	private record Row(String kid, String jwk, byte[] privateJwk, String kekId) {
	}

}
