package io.servinglayer.controlplane.client;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

@ControlPlaneIntegrationTest
@Import(ClientsIntegrationTests.Time.class)
class ClientsIntegrationTests {

	private static final String SHOP_WEB = """
			{"clientId": "shop-web", "scopes": ["predict"], "tenant": "shop",
			 "ratePlan": {"requestsPerSecond": 50, "burst": 100, "dailyQuota": 1000000}}""";

	@Autowired
	AdminApi api;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@Test
	void createsAClientShowingItsSecretOnceAndTheSecretGetsATokenWithTenantAndScopes() {
		Response created = this.api.postJson("/api/v1/clients", SHOP_WEB);

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.header("Location")).isEqualTo("/api/v1/clients/shop-web");
		assertThat(created.header("Cache-Control")).contains("no-store");
		String secret = created.json().path("clientSecret").asString();
		assertThat(created.json().path("clientId").asString()).isEqualTo("shop-web");
		assertThat(secret).startsWith("sls_").hasSizeGreaterThan(40);
		JsonNode plan = created.json().path("client").path("ratePlan");
		assertThat(plan.path("requestsPerSecond").asDouble()).isEqualTo(50);
		assertThat(plan.path("burst").asInt()).isEqualTo(100);
		assertThat(plan.path("dailyQuota").asLong()).isEqualTo(1_000_000);

		Response read = this.api.get("/api/v1/clients/shop-web");
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.body()).doesNotContain(secret).doesNotContain("secretHash").doesNotContain("clientSecret");
		assertThat(read.json().path("tenant").asString()).isEqualTo("shop");

		Response token = this.api.tokenRequest("shop-web", secret, null);
		assertThat(token.status()).as(token.toString()).isEqualTo(200);
		assertThat(token.json().path("token_type").asString()).isEqualTo("Bearer");
		assertThat(token.json().path("expires_in").asLong()).isBetween(590L, 600L);
		JsonNode claims = claimsOf(token.json().path("access_token").asString());
		assertThat(claims.path("client_id").asString()).isEqualTo("shop-web");
		assertThat(claims.path("sub").asString()).isEqualTo("shop-web");
		assertThat(claims.path("tenant").asString()).isEqualTo("shop");
		assertThat(claims.path("scope").toString()).contains("predict");
		assertThat(claims.path("aud").toString()).contains("servinglayer");
		assertThat(claims.path("iss").asString()).isEqualTo(ControlPlaneIntegrationTest.ISSUER);
	}

	@Test
	void neverWritesASecretOrItsHashToTheAuditLogOrTheIdempotencyStore() {
		Response created = this.api.postJson("/api/v1/clients", SHOP_WEB.replace("shop-web", "audited-client"),
				"Idempotency-Key", "create-audited-client");
		String secret = created.json().path("clientSecret").asString();
		Response rotated = this.api.post("/api/v1/clients/audited-client:rotate-secret");
		String rotatedSecret = rotated.json().path("clientSecret").asString();
		this.api.tokenRequest("audited-client", "wrong-secret", null);

		String everything = String.join("\n",
				this.jdbc.sql("SELECT coalesce(before::text, '') || coalesce(after::text, '') FROM audit_event")
					.query(String.class)
					.list())
				+ this.jdbc.sql("SELECT string_agg(encode(body, 'escape'), '') FROM idempotency_record")
					.query(String.class)
					.single();
		String hashes = String.join("|",
				this.jdbc.sql("SELECT secret_hash || coalesce(previous_secret_hash, '') FROM api_client")
					.query(String.class)
					.list());
		assertThat(everything).doesNotContain(secret)
			.doesNotContain(rotatedSecret)
			.doesNotContain("wrong-secret")
			.doesNotContain("$2a$");
		assertThat(hashes).doesNotContain(secret);

		Response replay = this.api.postJson("/api/v1/clients", SHOP_WEB.replace("shop-web", "audited-client"),
				"Idempotency-Key", "create-audited-client");
		assertThat(replay.status()).isEqualTo(409);
		assertThat(replay.problemType()).isEqualTo("answer-not-kept");
		assertThat(replay.body()).doesNotContain(secret);
	}

	@Test
	void aRotatedSecretKeepsWorkingThroughTheGracePeriodAndThenStops() {
		String oldSecret = this.api.postJson("/api/v1/clients", SHOP_WEB.replace("shop-web", "rotating"))
			.json()
			.path("clientSecret")
			.asString();

		Response rotated = this.api.post("/api/v1/clients/rotating:rotate-secret");
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
		String newSecret = rotated.json().path("clientSecret").asString();
		assertThat(newSecret).isNotEqualTo(oldSecret);
		assertThat(rotated.json().path("previousSecretExpiresAt").asString()).isNotEmpty();

		assertThat(this.api.tokenRequest("rotating", oldSecret, null).status()).isEqualTo(200);
		assertThat(this.api.tokenRequest("rotating", newSecret, null).status()).isEqualTo(200);

		this.clock.advance(Duration.ofHours(24).plusMinutes(1));

		Response old = this.api.tokenRequest("rotating", oldSecret, null);
		assertThat(old.status()).isEqualTo(401);
		assertThat(old.json().path("error").asString()).isEqualTo("invalid_client");
		assertThat(this.api.tokenRequest("rotating", newSecret, null).status()).isEqualTo(200);
	}

	@Test
	void aClientThatMayCallEveryModelMayAskForATokenForOneButNotForPinnedVersions() {
		String secret = this.api.postJson("/api/v1/clients", SHOP_WEB.replace("shop-web", "narrowing"))
			.json()
			.path("clientSecret")
			.asString();

		Response narrowed = this.api.tokenRequest("narrowing", secret, "predict:fraud");
		assertThat(narrowed.status()).as(narrowed.toString()).isEqualTo(200);
		assertThat(claimsOf(narrowed.json().path("access_token").asString()).path("scope").toString())
			.isEqualTo("[\"predict:fraud\"]");

		Response pinned = this.api.tokenRequest("narrowing", secret, "predict:pinned");
		assertThat(pinned.status()).isEqualTo(400);
		assertThat(pinned.json().path("error").asString()).isEqualTo("invalid_scope");
		assertThat(pinned.json().path("error_description").asString()).contains("'predict:pinned'")
			.contains("predict:{model}");
		Response admin = this.api.tokenRequest("narrowing", secret, "admin");
		assertThat(admin.status()).isEqualTo(400);
		assertThat(admin.json().path("error_description").asString()).contains("'admin'").contains("predict");
	}

	@Test
	void aDisabledClientGetsNoTokenAtOnceAndAnEnabledOneDoesAgain() {
		String secret = this.api.postJson("/api/v1/clients", SHOP_WEB.replace("shop-web", "switchable"))
			.json()
			.path("clientSecret")
			.asString();
		assertThat(this.api.tokenRequest("switchable", secret, null).status()).isEqualTo(200);

		Response disabled = this.api.post("/api/v1/clients/switchable:disable");
		assertThat(disabled.json().path("disabled").asBoolean()).isTrue();
		Response refused = this.api.tokenRequest("switchable", secret, null);
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.json().path("error_description").asString()).contains("disabled");

		this.api.post("/api/v1/clients/switchable:enable");
		assertThat(this.api.tokenRequest("switchable", secret, null).status()).isEqualTo(200);
	}

	@Test
	void repeatedBadSecretsLockOutThatClientOnlyUntilTheLockEnds() {
		String victim = this.api.postJson("/api/v1/clients", SHOP_WEB.replace("shop-web", "attacked"))
			.json()
			.path("clientSecret")
			.asString();
		String bystander = this.api.postJson("/api/v1/clients", SHOP_WEB.replace("shop-web", "bystander"))
			.json()
			.path("clientSecret")
			.asString();

		for (int i = 0; i < 5; i++) {
			assertThat(this.api.tokenRequest("attacked", "guess-" + i, null).status()).isEqualTo(401);
		}
		Response locked = this.api.tokenRequest("attacked", victim, null);
		assertThat(locked.status()).isEqualTo(401);
		assertThat(locked.json().path("error_description").asString()).contains("Too many failed attempts");
		assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(1L, 30L);
		assertThat(this.api.tokenRequest("bystander", bystander, null).status()).isEqualTo(200);
		assertThat(this.api.get("/api/v1/clients/attacked").json().path("lockedUntil").asString()).isNotEmpty();

		this.clock.advance(Duration.ofSeconds(31));
		assertThat(this.api.tokenRequest("attacked", victim, null).status()).isEqualTo(200);
		assertThat(this.jdbc.sql("SELECT failed_attempts FROM api_client WHERE client_id = 'attacked'")
			.query(Integer.class)
			.single()).isZero();

		List<String> reasons = new ArrayList<>();
		this.api.get("/api/v1/audit?action=token.denied&target=attacked")
			.json()
			.path("items")
			.forEach((event) -> reasons.add(event.path("after").path("reason").asString()));
		assertThat(reasons).contains("bad-secret", "locked");
	}

	@Test
	void anUnknownClientIdAndAWrongSecretGetTheSameAnswer() {
		this.api.postJson("/api/v1/clients", SHOP_WEB.replace("shop-web", "known"));

		Response wrongSecret = this.api.tokenRequest("known", "sls_not-the-secret", null);
		Response unknownClient = this.api.tokenRequest("nobody-by-this-name", "sls_not-the-secret", null);

		assertThat(wrongSecret.status()).isEqualTo(401);
		assertThat(unknownClient.status()).isEqualTo(401);
		assertThat(unknownClient.body()).isEqualTo(wrongSecret.body());
		assertThat(unknownClient.header("WWW-Authenticate")).isEqualTo(wrongSecret.header("WWW-Authenticate"));
		assertThat(unknownClient.header("Content-Type")).isEqualTo(wrongSecret.header("Content-Type"));
	}

	@Test
	void aNulCharacterInTheClientIdIsABadRequestNotAFailure() {
		Response response = this.api.send(this.api.anonymous()
			.request("/oauth2/token")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString("grant_type=client_credentials&client_id=a%00b&client_secret=whatever")));

		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().path("detail").asString()).startsWith("client_id: must not contain");
	}

	@Test
	void anUnknownClientIdIsLockedOutLikeAKnownOneSoLockoutsTellNoIdsApart() {
		this.api.postJson("/api/v1/clients", SHOP_WEB.replace("shop-web", "real-one"));
		for (int i = 0; i < 5; i++) {
			this.api.tokenRequest("real-one", "guess-" + i, null);
			this.api.tokenRequest("made-up-one", "guess-" + i, null);
		}

		Response known = this.api.tokenRequest("real-one", "guess", null);
		Response unknown = this.api.tokenRequest("made-up-one", "guess", null);

		assertThat(known.status()).isEqualTo(401);
		assertThat(known.json().path("error_description").asString()).contains("Too many failed attempts");
		assertThat(unknown.status()).isEqualTo(401);
		assertThat(unknown.json().path("error_description").asString())
			.isEqualTo(known.json().path("error_description").asString());
		assertThat(unknown.header("Retry-After")).isEqualTo(known.header("Retry-After"));
	}

	@Test
	void updatesScopesAndRatePlanWithIfMatchAndTheNextTokenCarriesTheNewScopes() {
		String secret = this.api.postJson("/api/v1/clients", SHOP_WEB.replace("shop-web", "growing"))
			.json()
			.path("clientSecret")
			.asString();
		String etag = this.api.get("/api/v1/clients/growing").header("ETag");

		assertThat(
				this.api.patchJson("/api/v1/clients/growing", "{\"scopes\":[\"predict\",\"registry:read\"]}").status())
			.isEqualTo(428);
		Response updated = this.api.patchJson("/api/v1/clients/growing",
				"{\"scopes\":[\"predict\",\"registry:read\"],\"ratePlan\":{\"requestsPerSecond\":5,\"burst\":10}}",
				"If-Match", etag);
		assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
		assertThat(updated.json().path("ratePlan").path("dailyQuota").isNull()).isTrue();

		String token = this.api.token("growing", secret);
		assertThat(this.api.as(token).get("/api/v1/models").status()).isEqualTo(200);
	}

	@Test
	void rejectsInvalidClientsNamingEveryField() {
		Response response = this.api.postJson("/api/v1/clients", """
				{"clientId": "Bad Id", "scopes": ["predict", "root"], "tenant": "",
				 "ratePlan": {"requestsPerSecond": 0, "burst": 0, "dailyQuota": -1}}""");

		assertThat(response.status()).isEqualTo(422);
		List<String> fields = new ArrayList<>();
		response.json().path("errors").forEach((error) -> fields.add(error.path("field").asString()));
		assertThat(fields).contains("clientId", "scopes[1]", "tenant", "ratePlan.requestsPerSecond", "ratePlan.burst",
				"ratePlan.dailyQuota");
		assertThat(this.api.postJson("/api/v1/clients", SHOP_WEB.replace("shop-web", "twice")).status()).isEqualTo(201);
		assertThat(this.api.postJson("/api/v1/clients", SHOP_WEB.replace("shop-web", "twice")).status()).isEqualTo(409);
		assertThat(this.api.get("/api/v1/clients/nobody").status()).isEqualTo(404);
	}

	private static JsonNode claimsOf(String token) {
		String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
				java.nio.charset.StandardCharsets.UTF_8);
		return tools.jackson.databind.json.JsonMapper.builder().build().readTree(payload);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Time {

		@Bean
		@Primary
		MutableClock mutableClock() {
			return new MutableClock();
		}

	}

}
