package io.servinglayer.controlplane.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.servinglayer.controlplane.ControlPlaneApplication;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.TcpLink;
import io.servinglayer.testsupport.TestPostgres;
import io.servinglayer.testsupport.TestRedis;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL cut off from a running control plane (its connections dropped, new ones
 * refused, through a link the test controls): tokens issued before still verify, every
 * answer that needs the database is a 503 problem with {@code Retry-After} within the
 * pool's connection timeout, nothing is half-written, and all works again once the
 * database is back.
 */
class DatabaseOutageIntegrationTests {

	private static final String ADMIN = "outage-admin";

	private static final String ADMIN_SECRET = "outage-admin-secret-0123456789";

	private static final Pattern HOST_AND_PORT = Pattern.compile("^jdbc:postgresql://([^:/]+):(\\d+)/");

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void withTheDatabaseGoneTheAdminApiAndTokenEndpointAnswer503AndNothingIsWrittenHalfway() throws Exception {
		TestPostgres.Database database = TestPostgres.get().createDatabase();
		Matcher address = HOST_AND_PORT.matcher(database.jdbcUrl());
		assertThat(address.find()).as(database.jdbcUrl()).isTrue();
		try (TcpLink link = TcpLink.to(address.group(1), Integer.parseInt(address.group(2)));
				ConfigurableApplicationContext controlPlane = start(database, database.jdbcUrl()
					.replace(address.group(0), "jdbc:postgresql://127.0.0.1:" + link.port() + "/"))) {
			String token = token(controlPlane);
			assertThat(send(controlPlane, token, "GET", "/api/v1/models", null).statusCode()).isEqualTo(200);

			link.cut();
			// Past the signing keys' refresh interval, so verifying the token tries the
			// database and falls back on the keys it holds.
			Thread.sleep(5500);

			HttpResponse<String> read = send(controlPlane, token, "GET", "/api/v1/models", null);
			assertUnavailable(read);
			HttpResponse<String> write = send(controlPlane, token, "POST", "/api/v1/models",
					"{\"name\": \"written-during-outage\"}");
			assertUnavailable(write);
			assertUnavailable(tokenAnswer(controlPlane));

			link.restore();
			HttpResponse<String> after = send(controlPlane, token, "GET", "/api/v1/models/written-during-outage", null);
			assertThat(after.statusCode()).as(after.body()).isEqualTo(404);
			assertThat(tokenAnswer(controlPlane).statusCode()).isEqualTo(200);
		}
	}

	private static void assertUnavailable(HttpResponse<String> answer) {
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
		assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
		JsonNode problem = json.readTree(answer.body());
		assertThat(problem.path("type").asString()).isEqualTo("https://servinglayer.dev/problems/database-unavailable");
	}

	private static ConfigurableApplicationContext start(TestPostgres.Database database, String url) {
		TestRedis redis = TestRedis.get();
		return new SpringApplicationBuilder(ControlPlaneApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + url, "--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password(), "--spring.datasource.hikari.maximum-pool-size=3",
				"--spring.datasource.hikari.connection-timeout=2000", "--spring.data.redis.host=" + redis.host(),
				"--spring.data.redis.port=" + redis.port(), "--servinglayer.redis.key-prefix=" + redis.newKeyPrefix(),
				"--servinglayer.control-plane.access.issuer=http://control-plane.test",
				"--servinglayer.control-plane.bootstrap.admin-password=outage-admin-password",
				"--servinglayer.control-plane.bootstrap.clients[0].client-id=" + ADMIN,
				"--servinglayer.control-plane.bootstrap.clients[0].secret=" + ADMIN_SECRET,
				"--servinglayer.control-plane.bootstrap.clients[0].scopes=admin",
				"--servinglayer.control-plane.signing-keys.key-encryption-key="
						+ Base64.getEncoder().encodeToString(new byte[32]),
				"--servinglayer.control-plane.state-directory=" + ControlPlaneIntegrationTest.STATE_DIRECTORY);
	}

	private static String token(ConfigurableApplicationContext controlPlane) throws Exception {
		HttpResponse<String> answer = tokenAnswer(controlPlane);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return json.readTree(answer.body()).path("access_token").asString();
	}

	private static HttpResponse<String> tokenAnswer(ConfigurableApplicationContext controlPlane) throws Exception {
		String basic = Base64.getEncoder()
			.encodeToString((ADMIN + ":" + ADMIN_SECRET).getBytes(StandardCharsets.UTF_8));
		return http.send(HttpRequest.newBuilder(uri(controlPlane, "/oauth2/token"))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> send(ConfigurableApplicationContext controlPlane, String token, String method,
			String path, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(controlPlane, path))
			.header("Authorization", "Bearer " + token)
			.timeout(Duration.ofSeconds(20));
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		return http.send(
				request
					.method(method,
							(body != null) ? HttpRequest.BodyPublishers.ofString(body)
									: HttpRequest.BodyPublishers.noBody())
					.build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static URI uri(ConfigurableApplicationContext controlPlane, String path) {
		return URI.create("http://localhost:" + controlPlane.getEnvironment().getProperty("local.server.port") + path);
	}

}
