package io.servinglayer.controlplane.user;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.TestModels;
import io.servinglayer.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * People and their roles: managed through the users API with the admin client's token,
 * and then signing in through the real login form, with a session cookie and the CSRF
 * cookie and header, as the console does.
 */
@ControlPlaneIntegrationTest
class UsersIntegrationTests {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private static final JsonMapper json = JsonMapper.builder().build();

	private static boolean registered;

	@Autowired
	AdminApi api;

	@Autowired
	Environment environment;

	@Autowired
	JdbcClient jdbc;

	@BeforeEach
	void registerAModelToDeploy() throws Exception {
		if (registered) {
			return;
		}
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"served\"}").status()).isEqualTo(201);
		assertThat(this.api.upload("served", Files.readAllBytes(TestModels.fraudClassifier()), null).status())
			.isEqualTo(201);
		registered = true;
	}

	@Test
	void createsAUserAndListsAndReadsItNeverWithThePassword() {
		Response created = createUser("alice", "alice-password-123", "viewer");

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.header("Location")).isEqualTo("/api/v1/users/alice");
		JsonNode alice = created.json();
		assertThat(alice.path("username").asString()).isEqualTo("alice");
		assertThat(alice.path("roles").toString()).isEqualTo("[\"viewer\"]");
		assertThat(alice.path("disabled").asBoolean()).isFalse();
		assertThat(alice.path("createdBy").asString()).isEqualTo(ControlPlaneIntegrationTest.ADMIN_CLIENT);
		assertThat(alice.path("createdAt").asString()).isNotEmpty();
		assertThat(alice.has("legacyScopes")).isFalse();

		Response read = this.api.get("/api/v1/users/alice");
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.json()).isEqualTo(alice);
		Response list = this.api.get("/api/v1/users");
		assertThat(list.status()).isEqualTo(200);
		assertThat(usernames(list)).contains("admin", "alice");
		for (Response answer : List.of(created, read, list)) {
			assertThat(answer.body()).doesNotContain("alice-password-123")
				.doesNotContainIgnoringCase("password")
				.doesNotContain("$2a$");
		}
	}

	@Test
	void listsUsersByUsernameAPageAtATime() {
		for (String name : List.of("page-a", "page-b", "page-c")) {
			assertThat(createUser(name, "paged-password-123", "viewer").status()).isEqualTo(201);
		}
		List<String> seen = new ArrayList<>();
		String token = null;
		do {
			Response page = this.api.get("/api/v1/users?pageSize=2" + ((token != null) ? "&pageToken=" + token : ""));
			assertThat(page.status()).as(page.toString()).isEqualTo(200);
			assertThat(page.json().path("items").size()).isLessThanOrEqualTo(2);
			seen.addAll(usernames(page));
			token = page.json().path("nextPageToken").asString(null);
		}
		while (token != null);

		assertThat(seen).contains("admin", "page-a", "page-b", "page-c").isSorted().doesNotHaveDuplicates();
		assertThat(this.api.get("/api/v1/users?pageSize=0").status()).isEqualTo(400);
	}

	static Stream<Arguments> invalidUsers() {
		return Stream.of(
				invalid("no username", "{\"password\": \"a-good-password\", \"roles\": [\"viewer\"]}", "username"),
				invalid("a username of two characters", user("ab", "a-good-password", "[\"viewer\"]"), "username"),
				invalid("a username of 65 characters", user("u".repeat(65), "a-good-password", "[\"viewer\"]"),
						"username"),
				invalid("a username with capitals", user("Alice", "a-good-password", "[\"viewer\"]"), "username"),
				invalid("a username with a space", user("al ice", "a-good-password", "[\"viewer\"]"), "username"),
				invalid("no password", "{\"username\": \"nopassword\", \"roles\": [\"viewer\"]}", "password"),
				invalid("a password of 11 characters", user("shortpass", "abcdefghijk", "[\"viewer\"]"), "password"),
				invalid("a password of 129 characters", user("longpass", "p".repeat(129), "[\"viewer\"]"), "password"),
				invalid("a password longer than bcrypt reads", user("bcryptpass", "é".repeat(40), "[\"viewer\"]"),
						"password"),
				invalid("the username as password", user("same-as-password", "same-as-password", "[\"viewer\"]"),
						"password"),
				invalid("no roles", user("noroles", "a-good-password", "[]"), "roles"),
				invalid("roles left out", "{\"username\": \"nullroles\", \"password\": \"a-good-password\"}", "roles"),
				invalid("an unknown role", user("unknownrole", "a-good-password", "[\"viewer\", \"root\"]"),
						"roles[1]"),
				invalid("a role twice", user("tworoles", "a-good-password", "[\"viewer\", \"viewer\"]"), "roles"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidUsers")
	void refusesAnInvalidUserNamingTheField(String name, String body, String field) {
		Response response = this.api.postJson("/api/v1/users", body);

		assertThat(response.status()).as(response.toString()).isEqualTo(422);
		assertThat(response.problemType()).isEqualTo("invalid-request");
		assertThat(fields(response)).as(response.toString()).containsExactly(field);
		assertThat(response.body()).doesNotContain("a-good-password");
	}

	@Test
	void refusesInvalidRolesAndPasswordsOnChangesNamingTheField() {
		createUser("changing", "changing-password-1", "viewer");

		Response roles = this.api.send(this.api.request("/api/v1/users/changing/roles")
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"roles\": [\"viewer\", \"owner\"]}")));
		Response password = this.api.postJson("/api/v1/users/changing:reset-password", "{\"password\": \"changing\"}");
		Response sameAsUsername = this.api.postJson("/api/v1/users/changing-user-name:reset-password",
				"{\"password\": \"changing-user-name\"}");

		assertThat(roles.status()).isEqualTo(422);
		assertThat(fields(roles)).containsExactly("roles[1]");
		assertThat(password.status()).isEqualTo(422);
		assertThat(fields(password)).containsExactly("password");
		assertThat(sameAsUsername.status()).isEqualTo(422);
		assertThat(sameAsUsername.json().path("errors").get(0).path("message").asString())
			.isEqualTo("must not be the username");
		assertThat(this.api.get("/api/v1/users/changing").json().path("roles").toString()).isEqualTo("[\"viewer\"]");
	}

	@Test
	void anExistingUsernameIsAConflictAndAnUnknownOneIsNotFound() {
		assertThat(createUser("twice", "twice-password-1", "viewer").status()).isEqualTo(201);

		Response again = createUser("twice", "another-password-1", "admin");
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.problemType()).isEqualTo("user-exists");
		assertThat(this.api.get("/api/v1/users/twice").json().path("roles").toString()).isEqualTo("[\"viewer\"]");

		for (Response unknown : List.of(this.api.get("/api/v1/users/nobody"), putRoles("nobody", "viewer"),
				this.api.post("/api/v1/users/nobody:disable"), this.api.post("/api/v1/users/nobody:enable"),
				this.api.postJson("/api/v1/users/nobody:reset-password", "{\"password\": \"a-good-password\"}"))) {
			assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
			assertThat(unknown.problemType()).isEqualTo("user-not-found");
		}
	}

	@Test
	void theUsersApiIsForAdminsOnly() {
		String token = clientToken("users-reader", "registry:read");

		assertThat(this.api.as(token).get("/api/v1/users").status()).isEqualTo(403);
		assertThat(this.api.as(token).get("/api/v1/users/admin").status()).isEqualTo(403);
		assertThat(this.api.anonymous().get("/api/v1/users").status()).isEqualTo(401);
		assertThat(this.api.as(clientToken("users-deployer", "deploy"))
			.postJson("/api/v1/users", user("by-deployer", "a-good-password", "[\"admin\"]"))
			.status()).isEqualTo(403);
	}

	@Test
	void rolesDecideWhatASignedInPersonMayDo() throws Exception {
		createUser("vera", "vera-password-123", "viewer");
		createUser("dan", "dan-password-1234", "deployer");
		createUser("ada", "ada-password-1234", "admin");
		Person viewer = signedIn("vera", "vera-password-123");
		Person deployer = signedIn("dan", "dan-password-1234");
		Person admin = signedIn("ada", "ada-password-1234");

		assertThat(viewer.get("/api/v1/deployments").statusCode()).isEqualTo(200);
		assertThat(viewer.get("/api/v1/models/served/versions/1").statusCode()).isEqualTo(200);
		HttpResponse<String> viewerPut = viewer.put("/api/v1/deployments/by-viewer", deployment());
		assertThat(viewerPut.statusCode()).isEqualTo(403);
		assertThat(viewerPut.body()).contains("insufficient-scope");
		assertThat(viewer.get("/api/v1/clients").statusCode()).isEqualTo(403);

		assertThat(deployer.put("/api/v1/deployments/by-deployer", deployment()).statusCode()).isEqualTo(201);
		assertThat(deployer.get("/api/v1/deployments/by-deployer").statusCode()).isEqualTo(200);
		assertThat(deployer.get("/api/v1/clients").statusCode()).isEqualTo(403);
		assertThat(deployer.get("/api/v1/users").statusCode()).isEqualTo(403);
		assertThat(deployer.get("/api/v1/audit").statusCode()).isEqualTo(403);
		assertThat(deployer.post("/api/v1/models", "{\"name\":\"by-deployer\"}").statusCode())
			.as("registering models is registry:write, which no role but admin has")
			.isEqualTo(403);

		HttpResponse<String> adminPut = admin.put("/api/v1/deployments/by-admin", deployment());
		assertThat(adminPut.statusCode()).as(adminPut.body()).isEqualTo(201);
		assertThat(adminPut.body()).contains("\"createdBy\":\"ada\"");
		assertThat(admin.get("/api/v1/clients").statusCode()).isEqualTo(200);
		assertThat(admin.get("/api/v1/users").statusCode()).isEqualTo(200);
		HttpResponse<String> created = admin.post("/api/v1/users",
				user("made-by-ada", "made-by-ada-password", "[\"viewer\"]"));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat(json.readTree(created.body()).path("createdBy").asString()).isEqualTo("ada");
	}

	@Test
	void meAnswersWhoIsCallingAndWhatTheyMayDoToAnyCaller() throws Exception {
		createUser("mia", "mia-password-1234", "viewer");
		Person viewer = signedIn("mia", "mia-password-1234");

		HttpResponse<String> me = viewer.get("/api/v1/users/me");
		assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
		JsonNode person = json.readTree(me.body());
		assertThat(person.path("username").asString()).isEqualTo("mia");
		assertThat(person.path("roles").toString()).isEqualTo("[\"viewer\"]");
		assertThat(person.path("scopes").toString()).isEqualTo("[\"registry:read\",\"routing:read\"]");
		assertThat(person.has("clientId")).isFalse();

		putRoles("mia", "deployer");
		JsonNode promoted = json.readTree(viewer.get("/api/v1/users/me").body());
		assertThat(promoted.path("roles").toString()).isEqualTo("[\"deployer\"]");
		assertThat(promoted.path("scopes").toString()).isEqualTo("[\"deploy\",\"registry:read\",\"routing:read\"]");

		Response client = this.api.as(clientToken("me-predictor", "predict")).get("/api/v1/users/me");
		assertThat(client.status()).as(client.toString()).isEqualTo(200);
		assertThat(client.json().path("clientId").asString()).isEqualTo("me-predictor");
		assertThat(client.json().path("scopes").toString()).isEqualTo("[\"predict\"]");
		assertThat(client.json().has("username")).isFalse();
		assertThat(client.json().has("roles")).isFalse();

		assertThat(this.api.anonymous().get("/api/v1/users/me").status()).isEqualTo(401);
	}

	@Test
	void newRolesApplyToAnOpenSessionOnItsNextRequest() throws Exception {
		createUser("promoted", "promoted-password-1", "viewer");
		Person person = signedIn("promoted", "promoted-password-1");
		assertThat(person.put("/api/v1/deployments/by-promoted", deployment()).statusCode()).isEqualTo(403);

		Response changed = putRoles("promoted", "deployer");

		assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
		assertThat(changed.json().path("roles").toString()).isEqualTo("[\"deployer\"]");
		assertThat(person.put("/api/v1/deployments/by-promoted", deployment()).statusCode()).isEqualTo(201);

		putRoles("promoted", "viewer");
		assertThat(person.get("/api/v1/deployments").statusCode()).isEqualTo(200);
		assertThat(person.put("/api/v1/deployments/by-promoted-again", deployment()).statusCode()).isEqualTo(403);
	}

	@Test
	void aDisabledUserCannotSignInAndTheirOpenSessionEndsOnItsNextRequest() throws Exception {
		createUser("leaver", "leaver-password-1", "deployer");
		Person open = signedIn("leaver", "leaver-password-1");
		assertThat(open.get("/api/v1/deployments").statusCode()).isEqualTo(200);

		Response disabled = this.api.post("/api/v1/users/leaver:disable");

		assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
		assertThat(disabled.json().path("disabled").asBoolean()).isTrue();
		HttpResponse<String> refused = open.get("/api/v1/deployments");
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.body()).contains("unauthenticated");
		assertThat(open.get("/admin/").headers().firstValue("Location").orElseThrow()).endsWith("/login");
		assertThat(open.put("/api/v1/deployments/by-leaver", deployment()).statusCode()).isIn(401, 403);
		HttpResponse<String> signIn = new Person().signIn("leaver", "leaver-password-1");
		assertThat(signIn.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
		assertThat(loginFailureReasons("leaver")).contains("disabled");

		assertThat(this.api.post("/api/v1/users/leaver:enable").json().path("disabled").asBoolean()).isFalse();
		assertThat(open.get("/api/v1/deployments").statusCode()).as("a session that ended stays ended").isEqualTo(401);
		assertThat(signedIn("leaver", "leaver-password-1").get("/api/v1/deployments").statusCode()).isEqualTo(200);
	}

	@Test
	void aResetPasswordRefusesTheOldOneAcceptsTheNewAndEndsSessionsOfTheOld() throws Exception {
		createUser("forgetful", "forgetful-password-1", "viewer");
		Person before = signedIn("forgetful", "forgetful-password-1");

		Response reset = this.api.postJson("/api/v1/users/forgetful:reset-password",
				"{\"password\": \"forgetful-password-2\"}");

		assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
		assertThat(reset.body()).doesNotContain("forgetful-password");
		assertThat(before.get("/api/v1/deployments").statusCode()).isEqualTo(401);
		assertThat(
				new Person().signIn("forgetful", "forgetful-password-1").headers().firstValue("Location").orElseThrow())
			.endsWith("/login?error");
		Person after = signedIn("forgetful", "forgetful-password-2");
		assertThat(after.get("/api/v1/deployments").statusCode()).isEqualTo(200);
	}

	@Test
	void repeatedWrongPasswordsLockAUserOutAndAPasswordResetLiftsTheLock() throws Exception {
		createUser("guessed", "guessed-password-1", "viewer");
		Person attacker = new Person();

		for (int i = 0; i < 5; i++) {
			HttpResponse<String> wrong = attacker.signIn("guessed", "guess-" + i);
			assertThat(wrong.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
		}
		HttpResponse<String> locked = new Person().signIn("guessed", "guessed-password-1");

		assertThat(locked.statusCode()).isEqualTo(429);
		assertThat(locked.body()).contains("Too many failed sign-ins for this user");
		assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 30L);
		assertThat(loginFailureReasons("guessed")).hasSize(6).containsOnly("bad-credentials", "locked");

		this.api.postJson("/api/v1/users/guessed:reset-password", "{\"password\": \"guessed-password-2\"}");
		assertThat(signedIn("guessed", "guessed-password-2").get("/api/v1/deployments").statusCode()).isEqualTo(200);
	}

	@Test
	void everyChangeIsAuditedWithoutAPasswordOrItsHash() {
		Response created = this.api.postJson("/api/v1/users", user("audited", "audited-password-1", "[\"viewer\"]"),
				"Idempotency-Key", "create-audited-user");
		assertThat(created.status()).isEqualTo(201);
		putRoles("audited", "deployer");
		this.api.post("/api/v1/users/audited:disable");
		this.api.post("/api/v1/users/audited:enable");
		this.api.postJson("/api/v1/users/audited:reset-password", "{\"password\": \"audited-password-2\"}");

		List<String> actions = new ArrayList<>();
		JsonNode events = this.api.get("/api/v1/audit?targetType=user&target=audited").json().path("items");
		events.forEach((event) -> actions.add(event.path("action").asString()));
		assertThat(actions).containsExactly("user.password-reset", "user.enabled", "user.disabled",
				"user.roles-changed", "user.created");
		events.forEach((event) -> assertThat(event.path("actor").asString())
			.isEqualTo(ControlPlaneIntegrationTest.ADMIN_CLIENT));
		JsonNode rolesChanged = events.get(3);
		assertThat(rolesChanged.path("before").path("roles").toString()).isEqualTo("[\"viewer\"]");
		assertThat(rolesChanged.path("after").path("roles").toString()).isEqualTo("[\"deployer\"]");
		String everything = String.join("\n",
				this.jdbc.sql("SELECT coalesce(before::text, '') || coalesce(after::text, '') FROM audit_event")
					.query(String.class)
					.list())
				+ this.jdbc.sql("SELECT coalesce(string_agg(encode(body, 'escape'), ''), '') FROM idempotency_record")
					.query(String.class)
					.single();
		assertThat(everything).doesNotContain("audited-password")
			.doesNotContain("$2a$")
			.doesNotContain("{bcrypt}")
			.doesNotContainIgnoringCase("password_hash")
			.doesNotContainIgnoringCase("passwordHash");
		assertThat(this.api
			.postJson("/api/v1/users", user("audited", "audited-password-1", "[\"viewer\"]"), "Idempotency-Key",
					"create-audited-user")
			.header("Idempotent-Replayed")).isEqualTo("true");
	}

	@Test
	void nobodyDisablesThemselvesOrTakesAdminFromTheLastEnabledAdmin() throws Exception {
		createUser("self-admin", "self-admin-password", "admin");
		Person self = signedIn("self-admin", "self-admin-password");

		HttpResponse<String> selfDisable = self.post("/api/v1/users/self-admin:disable", "");
		assertThat(selfDisable.statusCode()).as(selfDisable.body()).isEqualTo(409);
		assertThat(selfDisable.body()).contains("disabling-yourself");
		assertThat(self.get("/api/v1/users/self-admin").statusCode()).isEqualTo(200);

		// Leave "admin" the only enabled admin, through the admin client (not a user).
		List<String> others = new ArrayList<>();
		for (JsonNode user : this.api.get("/api/v1/users?pageSize=500").json().path("items")) {
			String name = user.path("username").asString();
			if (!name.equals("admin") && user.path("roles").toString().contains("admin")
					&& !user.path("disabled").asBoolean()) {
				assertThat(this.api.post("/api/v1/users/" + name + ":disable").status()).isEqualTo(200);
				others.add(name);
			}
		}
		try {
			Response disableLast = this.api.post("/api/v1/users/admin:disable");
			assertThat(disableLast.status()).as(disableLast.toString()).isEqualTo(409);
			assertThat(disableLast.problemType()).isEqualTo("last-admin");
			Response demoteLast = putRoles("admin", "deployer");
			assertThat(demoteLast.status()).isEqualTo(409);
			assertThat(demoteLast.problemType()).isEqualTo("last-admin");
			JsonNode admin = this.api.get("/api/v1/users/admin").json();
			assertThat(admin.path("disabled").asBoolean()).isFalse();
			assertThat(admin.path("roles").toString()).isEqualTo("[\"admin\"]");
			assertThat(putRoles("admin", "viewer", "admin").status()).as("keeping admin is fine").isEqualTo(200);

			this.api.post("/api/v1/users/self-admin:enable");
			assertThat(putRoles("admin", "deployer").status()).as("once another admin is enabled").isEqualTo(200);
			assertThat(putRoles("admin", "admin").status()).isEqualTo(200);
		}
		finally {
			others.forEach((name) -> this.api.post("/api/v1/users/" + name + ":enable"));
		}
	}

	@Test
	void signingOutEndsTheSessionAndNeedsTheCsrfToken() throws Exception {
		createUser("leaving", "leaving-password-1", "viewer");
		Person person = signedIn("leaving", "leaving-password-1");

		HttpResponse<String> forged = person.send(person.request("/logout").POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(forged.statusCode()).as("a sign-out another site forges").isEqualTo(403);
		assertThat(person.get("/api/v1/deployments").statusCode()).isEqualTo(200);

		// As the console's Sign out does: POST with the token from the XSRF-TOKEN cookie.
		HttpResponse<String> signOut = person.post("/logout", "");
		assertThat(signOut.statusCode()).isEqualTo(302);
		assertThat(signOut.headers().firstValue("Location").orElseThrow()).endsWith("/login?logout");
		assertThat(person.get("/api/v1/deployments").statusCode()).isEqualTo(401);
		assertThat(person.get("/admin/").headers().firstValue("Location").orElseThrow()).endsWith("/login");
	}

	@Test
	void theSignOutLinkAsksToConfirmAndItsFormSignsOut() throws Exception {
		createUser("confirming", "confirming-password-1", "viewer");
		Person person = signedIn("confirming", "confirming-password-1");

		HttpResponse<String> page = person.get("/logout");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("action=\"/logout\"").contains("method=\"post\"");
		Matcher csrf = CSRF.matcher(page.body());
		assertThat(csrf.find()).isTrue();
		HttpResponse<String> confirmed = person.send(person.request("/logout")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("_csrf=" + encode(csrf.group(1)))));

		assertThat(confirmed.headers().firstValue("Location").orElseThrow()).endsWith("/login?logout");
		assertThat(person.get("/login?logout").statusCode()).as("the page signed-out people land on").isEqualTo(200);
		assertThat(person.get("/api/v1/deployments").statusCode()).isEqualTo(401);
		// The console's sign-out button (exercised in a browser by
		// ConsoleIntegrationTests)
		// posts the same way.
		assertThat(this.api.get("/admin/js/app.js").body()).as("the console signs out with a POST")
			.contains("call('/logout', { method: 'POST' })");
		assertThat(this.api.get("/admin/js/api.js").body()).as("carrying the CSRF header").contains("X-XSRF-TOKEN");
	}

	@Test
	void theFirstAdminIsMadeByTheBootstrapWithTheAdminRole() {
		JsonNode admin = this.api.get("/api/v1/users/admin").json();

		assertThat(admin.path("roles").toString()).isEqualTo("[\"admin\"]");
		assertThat(admin.path("createdBy").asString()).isEqualTo("system:bootstrap");
		JsonNode created = this.api.get("/api/v1/audit?action=user.created&target=admin").json().path("items").get(0);
		assertThat(created.path("actor").asString()).isEqualTo("system:bootstrap");
		assertThat(created.toString()).doesNotContain("test-admin-password");
	}

	@Test
	void usersFromBeforeRolesBecomeAdminsByTheAdminScopeAndOthersKeepTheirScopes() {
		TestPostgres.Database database = TestPostgres.get().createDatabase();
		DriverManagerDataSource dataSource = new DriverManagerDataSource(database.jdbcUrl(), database.username(),
				database.password());
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("9").load().migrate();
		JdbcClient old = JdbcClient.create(dataSource);
		for (String[] user : new String[][] { { "root", "[\"admin\"]" }, { "ops", "[\"admin\", \"predict\"]" },
				{ "editor", "[\"registry:read\", \"registry:write\"]" } }) {
			old.sql("INSERT INTO app_user (username, password_hash, scopes, created_at) VALUES (?, 'hash', ?::jsonb, now())")
				.params(user[0], user[1])
				.update();
		}

		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();

		List<String> rows = old
			.sql("SELECT username || ' ' || roles::text || ' ' || scopes::text || ' ' || created_by || ' '"
					+ " || password_version FROM app_user ORDER BY username")
			.query(String.class)
			.list();
		assertThat(rows).containsExactly("editor [] [\"registry:read\", \"registry:write\"] system:bootstrap 1",
				"ops [\"admin\"] [] system:bootstrap 1", "root [\"admin\"] [] system:bootstrap 1");
	}

	@Test
	void theOpenApiDocumentDescribesTheUserRoutes() {
		JsonNode paths = this.api.get("/v3/api-docs").json().path("paths");

		assertThat(paths.has("/api/v1/users")).isTrue();
		assertThat(paths.has("/api/v1/users/{username}")).isTrue();
		assertThat(paths.has("/api/v1/users/me")).isTrue();
		assertThat(paths.has("/api/v1/users/{username}/roles")).isTrue();
		assertThat(paths.has("/api/v1/users/{username}:disable")).isTrue();
		assertThat(paths.has("/api/v1/users/{username}:reset-password")).isTrue();
	}

	private static Arguments invalid(String name, String body, String field) {
		return Arguments.of(name, body, field);
	}

	private static String user(String username, String password, String roles) {
		return "{\"username\": \"" + username + "\", \"password\": \"" + password + "\", \"roles\": " + roles + "}";
	}

	private static String deployment() {
		return "{\"model\": \"served\", \"stableVersion\": 1}";
	}

	private Response createUser(String username, String password, String role) {
		return this.api.postJson("/api/v1/users", user(username, password, "[\"" + role + "\"]"));
	}

	private Response putRoles(String username, String... roles) {
		return this.api.send(this.api.request("/api/v1/users/" + username + "/roles")
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"roles\": ["
					+ String.join(", ", Stream.of(roles).map((r) -> "\"" + r + "\"").toList()) + "]}")));
	}

	private String clientToken(String clientId, String scope) {
		Response created = this.api.postJson("/api/v1/clients",
				"{\"clientId\":\"" + clientId + "\",\"scopes\":[\"" + scope + "\"],\"tenant\":\"test\"}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return this.api.token(clientId, created.json().path("clientSecret").asString());
	}

	private static List<String> usernames(Response page) {
		List<String> names = new ArrayList<>();
		page.json().path("items").forEach((user) -> names.add(user.path("username").asString()));
		return names;
	}

	private static List<String> fields(Response problem) {
		List<String> fields = new ArrayList<>();
		problem.json().path("errors").forEach((error) -> fields.add(error.path("field").asString()));
		return fields;
	}

	private List<String> loginFailureReasons(String username) {
		List<String> reasons = new ArrayList<>();
		this.api.get("/api/v1/audit?action=user.login-failed&target=" + username)
			.json()
			.path("items")
			.forEach((event) -> reasons.add(event.path("after").path("reason").asString()));
		return reasons;
	}

	private Person signedIn(String username, String password) throws Exception {
		Person person = new Person();
		HttpResponse<String> login = person.signIn(username, password);
		assertThat(login.headers().firstValue("Location").orElseThrow()).as(username + " signs in").endsWith("/admin/");
		return person;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * A person at a browser: a cookie jar with the session and the XSRF-TOKEN cookie,
	 * whose value goes back in the X-XSRF-TOKEN header of each change, as the console
	 * sends it.
	 */
	private final class Person {

		private final CookieManager cookies = new CookieManager();

		private final HttpClient browser = HttpClient.newBuilder()
			.cookieHandler(this.cookies)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();

		HttpResponse<String> signIn(String username, String password) throws Exception {
			String page = get("/login").body();
			Matcher csrf = CSRF.matcher(page);
			assertThat(csrf.find()).as("the login page carries a CSRF token").isTrue();
			return send(request("/login").header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("username=" + encode(username) + "&password="
						+ encode(password) + "&_csrf=" + encode(csrf.group(1)))));
		}

		HttpResponse<String> get(String path) throws Exception {
			return send(request(path).GET());
		}

		HttpResponse<String> put(String path, String body) throws Exception {
			return send(change(path).PUT(HttpRequest.BodyPublishers.ofString(body)));
		}

		HttpResponse<String> post(String path, String body) throws Exception {
			return send(change(path).POST(HttpRequest.BodyPublishers.ofString(body)));
		}

		HttpRequest.Builder request(String path) {
			return HttpRequest
				.newBuilder(URI.create("http://localhost:"
						+ UsersIntegrationTests.this.environment.getRequiredProperty("local.server.port") + path))
				.timeout(Duration.ofSeconds(10));
		}

		HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
			return this.browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}

		private HttpRequest.Builder change(String path) {
			HttpRequest.Builder request = request(path).header("Content-Type", "application/json");
			this.cookies.getCookieStore()
				.getCookies()
				.stream()
				.filter((cookie) -> cookie.getName().equals("XSRF-TOKEN"))
				.map(HttpCookie::getValue)
				.findFirst()
				.ifPresent((token) -> request.header("X-XSRF-TOKEN", token));
			return request;
		}

	}

}
