package io.servinglayer.controlplane.user;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * People sign in to the console with the user store; their session then opens the API by
 * their scopes.
 */
@ControlPlaneIntegrationTest
@Import(ConsoleLoginIntegrationTests.Time.class)
class ConsoleLoginIntegrationTests {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	@Autowired
	Environment environment;

	@Autowired
	AdminApi api;

	@Autowired
	UserService users;

	@Autowired
	MutableClock clock;

	@Test
	void theConsoleSendsAStrangerToTheLoginPage() throws Exception {
		HttpResponse<String> response = browser().send(get("/admin/"), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/login");
	}

	@Test
	void theAdminSignsInAndTheSessionOpensTheConsoleAndTheApi() throws Exception {
		HttpClient browser = browser();

		HttpResponse<String> login = signIn(browser, "admin", "test-admin-password");
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(login.headers().firstValue("Location").orElseThrow()).endsWith("/admin/");

		HttpResponse<String> console = browser.send(get("/admin/"), HttpResponse.BodyHandlers.ofString());
		assertThat(console.statusCode()).isEqualTo(200);
		assertThat(console.body()).contains("Servinglayer");
		HttpResponse<String> models = browser.send(get("/api/v1/models"), HttpResponse.BodyHandlers.ofString());
		assertThat(models.statusCode()).isEqualTo(200);
		assertThat(actions()).contains("user.login");
	}

	@Test
	void aChangeMadeWithASessionNeedsTheCsrfTokenFromItsCookie() throws Exception {
		CookieManager cookies = new CookieManager();
		HttpClient browser = browser(cookies);
		signIn(browser, "admin", "test-admin-password");
		HttpRequest.Builder create = HttpRequest.newBuilder(uri("/api/v1/models"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"from-console\"}"))
			.timeout(Duration.ofSeconds(10));

		HttpResponse<String> forged = browser.send(create.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(forged.statusCode()).isEqualTo(403);
		assertThat(forged.body()).contains("csrf-token-missing");

		String token = cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("XSRF-TOKEN"))
			.findFirst()
			.orElseThrow()
			.getValue();
		HttpResponse<String> genuine = browser.send(create.header("X-XSRF-TOKEN", token).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(genuine.statusCode()).as(genuine.body()).isEqualTo(201);
		assertThat(genuine.body()).contains("\"createdBy\":\"admin\"");
	}

	@Test
	void aWrongPasswordIsRefusedAndAuditedWithoutThePassword() throws Exception {
		HttpClient browser = browser();

		HttpResponse<String> login = signIn(browser, "admin", "not-the-password");

		assertThat(login.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
		assertThat(browser.send(get("/api/v1/models"), HttpResponse.BodyHandlers.ofString()).statusCode())
			.isEqualTo(401);
		assertThat(actions()).contains("user.login-failed");
		assertThat(this.api.get("/api/v1/audit?action=user.login-failed").body()).doesNotContain("not-the-password");
	}

	@Test
	void repeatedWrongPasswordsLockTheUserOutUntilTheLockEndsAndEachAttemptIsAuditedOnce() throws Exception {
		this.users.create("operator", "operator-password-123", List.of(Role.VIEWER));
		HttpClient browser = browser();

		for (int i = 0; i < 5; i++) {
			HttpResponse<String> wrong = signIn(browser, "operator", "guess-" + i);
			assertThat(wrong.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
		}
		HttpResponse<String> locked = signIn(browser, "operator", "operator-password-123");

		assertThat(locked.statusCode()).isEqualTo(429);
		assertThat(locked.body()).contains("Too many failed sign-ins for this user; try again in 30 seconds");
		assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 30L);
		assertThat(browser.send(get("/api/v1/models"), HttpResponse.BodyHandlers.ofString()).statusCode())
			.isEqualTo(401);
		List<String> reasons = new ArrayList<>();
		this.api.get("/api/v1/audit?action=user.login-failed&target=operator")
			.json()
			.path("items")
			.forEach((event) -> reasons.add(event.path("after").path("reason").asString()));
		assertThat(reasons).as("one event per attempt").hasSize(6).containsOnly("bad-credentials", "locked");

		this.clock.advance(Duration.ofSeconds(31));
		HttpResponse<String> afterTheLock = signIn(browser(), "operator", "operator-password-123");
		assertThat(afterTheLock.headers().firstValue("Location").orElseThrow()).endsWith("/admin/");
	}

	private HttpResponse<String> signIn(HttpClient browser, String username, String password) throws Exception {
		String page = browser.send(get("/login"), HttpResponse.BodyHandlers.ofString()).body();
		Matcher csrf = CSRF.matcher(page);
		assertThat(csrf.find()).as("the login page carries a CSRF token").isTrue();
		String form = "username=" + encode(username) + "&password=" + encode(password) + "&_csrf="
				+ encode(csrf.group(1));
		return browser.send(HttpRequest.newBuilder(uri("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private List<String> actions() {
		List<String> actions = new ArrayList<>();
		this.api.get("/api/v1/audit?targetType=user")
			.json()
			.path("items")
			.forEach((event) -> actions.add(event.path("action").asString()));
		return actions;
	}

	private static HttpClient browser() {
		return browser(new CookieManager());
	}

	private static HttpClient browser(CookieManager cookies) {
		return HttpClient.newBuilder()
			.cookieHandler(cookies)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	private HttpRequest get(String path) {
		return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build();
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.environment.getRequiredProperty("local.server.port") + path);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
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
