package io.servinglayer.controlplane.console;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.servinglayer.contracts.InstanceAnnouncement;
import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.controlplane.GatewayOutcomes;
import io.servinglayer.controlplane.system.RedisNamespace;
import io.servinglayer.testsupport.TestModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin console in a real browser (headless Chromium) against the whole control
 * plane: a person signs in through the login form and works only through the pages, which
 * call the public admin API with the session. Data is set up through the API as the admin
 * client, and what the pages did is checked through the API too.
 */
@ControlPlaneIntegrationTest
class ConsoleIntegrationTests {

	@RegisterExtension
	static final ConsoleBrowser browser = new ConsoleBrowser();

	private static final String ADMIN_USER = "admin";

	private static final String ADMIN_PASSWORD = "test-admin-password";

	private static final String AVAILABILITY_SLO = """
			{"objectives": [
			  {"name": "availability", "sli": "availability", "objective": 0.999, "window": "28d"}]}""";

	private static boolean registered;

	@Autowired
	AdminApi api;

	@Autowired
	Environment environment;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	RedisNamespace namespace;

	@BeforeEach
	void signedInWithTheFraudModelRegistered() throws Exception {
		browser.baseUrl("http://localhost:" + this.environment.getRequiredProperty("local.server.port"));
		if (!registered) {
			assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"fraud\",\"owner\":\"risk-team\"}").status())
				.isEqualTo(201);
			byte[] model = Files.readAllBytes(TestModels.fraudClassifier());
			for (int i = 0; i < 3; i++) {
				assertThat(this.api.upload("fraud", model, null).status()).isEqualTo(201);
			}
			registered = true;
		}
		browser.open("/admin/");
		if (browser.driver().getCurrentUrl().contains("/login")) {
			signIn();
		}
		browser.text(By.tagName("h1"), "Overview");
	}

	@Test
	void aPersonSignsInThroughTheLoginFormMovesByKeyboardAndSignsOut() {
		browser.driver().manage().deleteAllCookies();
		browser.open("/admin/");
		assertThat(browser.driver().getCurrentUrl()).endsWith("/login");

		signIn();

		browser.text(By.tagName("h1"), "Overview");
		assertThat(browser.driver().findElements(By.cssSelector("nav[aria-label=Main] a")))
			.extracting(WebElement::getText)
			.containsExactly("Overview", "Models", "Feature views", "Audit log", "Clients", "Users");
		browser.text(By.id("whoami"), ADMIN_USER + " (admin)");
		assertThat(browser.driver().findElement(By.cssSelector("nav a[aria-current=page]")).getText())
			.isEqualTo("Overview");
		new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
		assertThat(activeElement().getText()).isEqualTo("Skip to content");
		new Actions(browser.driver()).sendKeys(Keys.TAB, Keys.TAB, Keys.TAB, Keys.ENTER).perform();
		browser.text(By.tagName("h1"), "Models");
		browser.waitFor("focus on the new page's heading", (driver) -> "h1".equals(activeElement().getTagName()));
		assertThat(browser.driver().findElement(By.cssSelector("nav a[aria-current=page]")).getText())
			.isEqualTo("Models");

		browser.driver().findElement(By.cssSelector("#sign-out button")).click();

		browser.waitFor("the login page after signing out", (driver) -> driver.getCurrentUrl().contains("/login"));
		browser.open("/admin/");
		assertThat(browser.driver().getCurrentUrl()).as("the session has ended").endsWith("/login");
	}

	@Test
	void theOverviewListsEveryDeploymentAndFollowsChangesWithoutReloading() {
		deploy("overview-fraud", """
				{"model": "fraud", "stableVersion": 1, "canary": {"version": 2, "weightBasisPoints": 1000},
				 "shadow": {"version": 3, "percent": 5}}""");
		deploy("overview-slos", "{\"model\": \"fraud\", \"stableVersion\": 2}");
		Response slos = this.api.send(this.api.request("/api/v1/deployments/overview-slos/slos")
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(AVAILABILITY_SLO)));
		assertThat(slos.status()).as(slos.toString()).isEqualTo(201);

		browser.open("/admin/#/");

		String row = "tr[data-deployment='overview-fraud'] ";
		browser.text(By.cssSelector(row + ".stable"), "v1");
		browser.text(By.cssSelector(row + ".canary"), "v2 at 10.00 %");
		browser.text(By.cssSelector(row + ".shadow"), "v3, 5 % of requests copied");
		assertThat(browser.text(By.cssSelector(row + ".warmth"), "v1 stable: 0 warm").getText())
			.contains("v2 canary: 0 warm")
			.contains("v3 shadow: 0 warm");
		browser.text(By.cssSelector(row + ".slo"), "no SLOs");
		browser.text(By.cssSelector(row + ".rollout"), "none running");
		browser.text(By.cssSelector("tr[data-deployment='overview-slos'] .slo"), "availability: no traffic yet");
		assertEveryControlIsLabelled();

		browser.script("window.consoleMarker = 'same page'");
		Response current = this.api.get("/api/v1/deployments/overview-fraud");
		Response changed = put("overview-fraud", """
				{"model": "fraud", "stableVersion": 1, "canary": {"version": 2, "weightBasisPoints": 2500},
				 "shadow": {"version": 3, "percent": 5}}""", "If-Match", current.header("ETag"));
		assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
		Response started = this.api.postJson("/api/v1/deployments/overview-slos/rollouts",
				"{\"version\": 3, \"steps\": [100, 1000]}");
		assertThat(started.status()).as(started.toString()).isEqualTo(201);

		browser.text(By.cssSelector("tr[data-deployment='overview-fraud'] .canary"), "v2 at 25.00 %");
		browser.text(By.cssSelector("tr[data-deployment='overview-slos'] .rollout"), "v3 Pending");
		assertThat(browser.script("return window.consoleMarker")).as("refreshed without a reload")
			.isEqualTo("same page");
		browser.screenshot("overview");
	}

	@Test
	void aPersonChangesTheCanaryWeightThroughADialogShowingTheDryRunAndTheRoutingRevisionMoves() {
		deploy("weights",
				"{\"model\": \"fraud\", \"stableVersion\": 1, \"canary\": {\"version\": 2, \"weightBasisPoints\": 1000}}");
		long before = routingRevision();
		browser.open("/admin/#/deployments/weights");

		WebElement weight = browser.visible(By.id("canary-weight"));
		assertThat(weight.getAttribute("value")).isEqualTo("1000");
		weight.clear();
		weight.sendKeys("2500");
		assertThat(browser.driver().findElement(By.id("canary-weight-reading")).getText()).contains("25.00 %");
		browser.driver().findElement(By.cssSelector("#canary-form button[type=submit]")).click();

		WebElement dialog = browser.visible(By.cssSelector("dialog[open]"));
		assertThat(dialog.getText()).contains("Change weights?").contains("canary.weightBasisPoints");
		WebElement change = dialog.findElement(By.cssSelector("table.diff tbody tr"));
		assertThat(change.findElements(By.tagName("td"))).extracting(WebElement::getText)
			.containsExactly("canary.weightBasisPoints", "1000", "2500");
		assertThat(routingRevision()).as("a dry run changes nothing").isEqualTo(before);
		dialog.findElement(By.cssSelector("button[value=confirm]")).click();

		browser.text(By.id("spec-canary"), "v2 at 25.00 %");
		browser.text(By.id("status"), "Applied: weights is at revision 2");
		JsonNode deployment = this.api.get("/api/v1/deployments/weights").json();
		assertThat(deployment.path("canary").path("weightBasisPoints").asInt()).isEqualTo(2500);
		assertThat(deployment.path("updatedBy").asString()).isEqualTo(ADMIN_USER);
		long after = routingRevision();
		assertThat(after).isGreaterThan(before);
		WebElement latest = browser.text(By.cssSelector("#history tbody tr"), ADMIN_USER);
		assertThat(latest.findElements(By.tagName("td"))).extracting(WebElement::getText)
			.startsWith("2", Long.toString(after), ADMIN_USER)
			.last()
			.isEqualTo("canary.weightBasisPoints: 1000 → 2500");
	}

	@Test
	void anApiErrorShowsTheProblemsTitleAndDetailAndChangesNothing() {
		String spec = "{\"model\": \"fraud\", \"stableVersion\": 1, \"canary\": {\"version\": 2, \"weightBasisPoints\": 1000}}";
		deploy("invalid", spec);
		JsonNode expected = put("invalid?dryRun=true", spec.replace("1000", "20000")).json();
		browser.open("/admin/#/deployments/invalid");

		fill(By.id("canary-weight"), "20000");
		browser.driver().findElement(By.cssSelector("#canary-form button[type=submit]")).click();

		WebElement alert = browser.visible(By.cssSelector("#alerts [role=alert]"));
		assertThat(alert.findElement(By.cssSelector(".alert-title")).getText())
			.isEqualTo(expected.path("title").asString());
		assertThat(alert.findElement(By.cssSelector(".alert-detail")).getText())
			.isEqualTo(expected.path("detail").asString())
			.isNotBlank();
		assertThat(alert.getText()).contains("canary.weightBasisPoints").contains("HTTP 422");
		assertThat(alert.getAttribute("aria-labelledby")).isNotBlank();
		assertThat(browser.driver().findElements(By.cssSelector("dialog[open]"))).isEmpty();
		assertThat(this.api.get("/api/v1/deployments/invalid").json().path("revision").asLong()).isEqualTo(1);
	}

	@Test
	void aViewerSeesTheirNameAndDeploymentsWithoutActionsAndTheApiStillRefusesThem() {
		deploy("refused", "{\"model\": \"fraud\", \"stableVersion\": 1}");
		Response started = this.api.postJson("/api/v1/deployments/refused/rollouts",
				"{\"version\": 3, \"steps\": [100, 1000]}");
		assertThat(started.status()).as(started.toString()).isEqualTo(201);
		assertThat(this.api
			.postJson("/api/v1/users",
					"{\"username\": \"viewer\", \"password\": \"viewer-password-123\", \"roles\": [\"viewer\"]}")
			.status()).isEqualTo(201);
		try {
			browser.driver().manage().deleteAllCookies();
			browser.open("/login");
			signIn("viewer", "viewer-password-123");
			browser.text(By.id("whoami"), "viewer");
			assertThat(browser.driver()
				.findElements(By.cssSelector("nav[aria-label=Main] a"))
				.stream()
				.filter(WebElement::isDisplayed)
				.map(WebElement::getText)).containsExactly("Overview", "Models", "Feature views");
			browser.text(By.cssSelector("tr[data-deployment='refused'] .rollout"), "v3 Pending");

			browser.open("/admin/#/deployments/refused");
			browser.text(By.id("rollout-state"), "Pending");
			browser.text(By.id("spec-canary"), "v3 at 0.00 %");
			browser.visible(By.id("read-only"));
			assertThat(browser.driver().findElements(By.cssSelector("#rollout button[data-action]"))).isEmpty();
			assertThat(browser.driver().findElements(By.cssSelector("main form, #rollback-button"))).isEmpty();
			browser.open("/admin/#/models/fraud");
			browser.visible(By.id("version-1"));
			assertThat(browser.driver().findElements(By.cssSelector("#upload-form, button[data-archive]"))).isEmpty();

			Object answer = browser.asyncScript("""
					const done = arguments[arguments.length - 1];
					import('/admin/js/api.js')
					  .then((api) => api.call(arguments[0], { method: 'POST' }))
					  .then(() => done('allowed'), (error) => done(error.status + ' ' + error.problem.type));""",
					"/api/v1/deployments/refused/rollouts/" + started.json().path("id").asLong() + ":abort");
			assertThat(String.valueOf(answer)).startsWith("403 ").endsWith("insufficient-scope");
			assertThat(this.api.get("/api/v1/deployments/refused/rollouts/" + started.json().path("id").asLong())
				.json()
				.path("state")
				.asString()).isEqualTo("Pending");
		}
		finally {
			// The next test signs in as the admin again.
			browser.driver().manage().deleteAllCookies();
		}
	}

	@Test
	void aPersonUploadsAVersionThroughTheFileInputSeesItsSignatureAndArchivesIt() {
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"uploaded\",\"description\":\"Fraud, retrained\"}")
			.status()).isEqualTo(201);
		browser.open("/admin/#/models/uploaded");

		browser.visible(By.id("upload-file")).sendKeys(TestModels.fraudClassifier().toAbsolutePath().toString());
		browser.driver().findElement(By.id("upload-label")).sendKeys("first-upload");
		browser.driver().findElement(By.cssSelector("#upload-form button[type=submit]")).click();

		WebElement version = browser.visible(By.id("version-1"));
		JsonNode registered = this.api.get("/api/v1/models/uploaded/versions/1").json();
		assertThat(registered.path("label").asString()).isEqualTo("first-upload");
		assertThat(registered.path("createdBy").asString()).isEqualTo(ADMIN_USER);
		assertThat(version.getText()).contains("Version 1 — first-upload")
			.contains("sha256:" + registered.path("digest").asString())
			.contains(registered.path("sizeBytes").asString() + " bytes")
			.contains(ADMIN_USER);
		List<String> signature = version.findElements(By.cssSelector("table.signature tbody tr"))
			.stream()
			.map(WebElement::getText)
			.toList();
		JsonNode inputs = registered.path("signature").path("inputs");
		JsonNode outputs = registered.path("signature").path("outputs");
		assertThat(signature).hasSize(inputs.size() + outputs.size());
		assertThat(signature.get(0)).contains("input")
			.contains(inputs.get(0).path("name").asString())
			.contains(inputs.get(0).path("datatype").asString());
		assertThat(browser.text(By.id("status"), "Version 1 of uploaded registered").getText()).isNotBlank();
		assertEveryControlIsLabelled();
		browser.screenshot("models");

		version.findElement(By.cssSelector("button[data-archive='1']")).click();
		browser.visible(By.cssSelector("dialog[open] button[value=confirm]")).click();

		browser.text(By.cssSelector("#version-1 h3"), "archived");
		assertThat(this.api.get("/api/v1/models/uploaded/versions/1").json().path("archived").asBoolean()).isTrue();
		browser.open("/admin/#/models");
		browser.text(By.cssSelector("main table"), "uploaded");
	}

	@Test
	void aPersonStartsARolloutFromTheDeploymentPageAndAbortsIt() {
		deploy("rolling", "{\"model\": \"fraud\", \"stableVersion\": 1}");
		// Traffic of the last 40 minutes, as the gateways would have counted it: the
		// stable version all along, a canary for the last 15 minutes, slower and failing
		// more.
		GatewayOutcomes outcomes = new GatewayOutcomes(this.redis, this.namespace);
		Instant now = Instant.now();
		for (int minute = 1; minute <= 40; minute++) {
			Instant at = now.minus(Duration.ofMinutes(minute));
			outcomes.answered("rolling", 1, at, 110 + (minute % 7) * 6, (minute % 9 == 0) ? 1 : 0, 20);
			outcomes.answered("rolling", 1, at, 1 + minute % 3, 0, 160);
			if (minute <= 15) {
				outcomes.answered("rolling", 2, at, 9 + minute % 4, (minute % 4 == 0) ? 1 : 0, 40);
				outcomes.answered("rolling", 2, at, 1, 0, 300 + (minute % 3) * 400);
			}
		}
		browser.open("/admin/#/deployments/rolling");
		browser.text(By.id("rollout"), "No rollout yet");

		fill(By.id("rollout-version"), "2");
		fill(By.id("rollout-steps"), "100, 1000, 5000");
		fill(By.id("rollout-interval"), "30");
		fill(By.id("rollout-min-requests"), "10");
		fill(By.id("rollout-max-error-rate"), "0.05");
		browser.driver().findElement(By.cssSelector("#rollout-form button[type=submit]")).click();
		WebElement dialog = browser.visible(By.cssSelector("dialog[open]"));
		assertThat(dialog.getText()).contains("Start a rollout of v2 on rolling?")
			.contains("1.00 % → 10.00 % → 50.00 %");
		dialog.findElement(By.cssSelector("button[value=confirm]")).click();

		browser.text(By.id("rollout-state"), "Pending");
		JsonNode rollout = this.api.get("/api/v1/deployments/rolling/rollouts").json().path("items").get(0);
		assertThat(rollout.path("state").asString()).isEqualTo("Pending");
		assertThat(rollout.path("stepIntervalSeconds").asInt()).isEqualTo(30);
		assertThat(rollout.path("analysis").path("minRequests").asInt()).isEqualTo(10);
		assertThat(rollout.path("analysis").path("maxErrorRate").asDouble()).isEqualTo(0.05);
		assertThat(rollout.path("createdBy").asString()).isEqualTo(ADMIN_USER);
		assertThat(browser.driver().findElement(By.id("spec-canary")).getText()).isEqualTo("v2 at 0.00 %");

		browser.driver().findElement(By.cssSelector("#rollout button[data-action=abort]")).click();
		browser.visible(By.cssSelector("dialog[open] button[value=confirm]")).click();

		browser.text(By.id("rollout-state"), "Aborted");
		WebElement abort = browser.visible(By.cssSelector("#rollout table.decisions tr[data-verdict=abort]"));
		assertThat(abort.getText()).contains("abort").contains(ADMIN_USER);
		JsonNode aborted = this.api.get("/api/v1/deployments/rolling/rollouts/" + rollout.path("id").asLong()).json();
		assertThat(aborted.path("state").asString()).isEqualTo("Aborted");
		assertThat(aborted.path("decisions").get(aborted.path("decisions").size() - 1).path("verdict").asString())
			.isEqualTo("abort");
		assertThat(browser.driver().findElements(By.cssSelector("#rollout button[data-action]"))).isEmpty();
		assertEveryControlIsLabelled();

		// The charts of canary against stable, from decisions with numbers (this
		// rollout's abort has none
		// to speak of, so they are drawn from made-up decisions on the same page):
		// uPlot's
		// canvas, and the numbers it draws in the figure's summary and table.
		Object drawn = browser.asyncScript(
				"""
						const done = arguments[arguments.length - 1];
						import('/admin/js/chart.js').then((chart) => {
						  const side = (requests, errors, p99Ms) => ({ requests, errors, p99Ms });
						  const box = chart.decisionCharts([
						    { seq: 1, canary: side(200, 1, 40), stable: side(2000, 2, 38) },
						    { seq: 2, canary: side(400, 8, 90), stable: side(4000, 4, 41) },
						    { seq: 3, verdict: 'abort' },
						    { seq: 4, canary: side(0, 0, null), stable: side(3000, 3, 39) }]);
						  box.id = 'made-up-charts';
						  document.getElementById('rollout').append(box);
						  const column = (id, i) => [...box.querySelectorAll(`#${id} tbody tr`)].map((row) => row.cells[i].textContent).join(' | ');
						  done([column('chart-error-rate', 0), column('chart-error-rate', 1), column('chart-error-rate', 2),
						    column('chart-p99', 1), column('chart-p99', 2), box.querySelector('#chart-error-rate .chart-summary').textContent,
						    chart.decisionCharts([{ seq: 1, verdict: 'abort' }]) === null]);
						});""");
		assertThat((List<Object>) drawn).containsExactly("#1 | #2 | #4", "0.50 % | 2.00 % | —",
				"0.10 % | 0.10 % | 0.10 %", "40 ms | 90 ms | —", "38 ms | 41 ms | 39 ms",
				"Canary: latest 2.00 %, lowest 0.50 %, highest 2.00 %. Stable: latest 0.10 %, lowest 0.10 %, highest 0.10 %.",
				true);
		browser.visible(By.cssSelector("#made-up-charts #chart-error-rate .chart-plot canvas"));
		assertThat(browser.driver().findElement(By.cssSelector("#made-up-charts #chart-p99 .u-legend")).getText())
			.contains("Canary")
			.contains("Stable");
		browser.text(By.cssSelector("#chart-traffic-errors .chart-summary"), "v2 canary: latest ");
		browser.screenshot("deployment");
	}

	@Test
	void theDeploymentPageChartsCanaryAgainstStableRequestRateErrorRateAndP99FromTheGatewaysOutcomes() {
		browser.consoleMessages();
		deploy("charted",
				"{\"model\": \"fraud\", \"stableVersion\": 1, \"canary\": {\"version\": 2, \"weightBasisPoints\": 3300}}");
		GatewayOutcomes outcomes = new GatewayOutcomes(this.redis, this.namespace);
		Instant threeMinutesAgo = Instant.now().minus(Duration.ofMinutes(3));
		// Stable: 100 answers, 90 within 25 ms and 10 in 80 ms, one an error; canary: 50
		// in 300 ms, 5 of them errors.
		outcomes.answered("charted", 1, threeMinutesAgo, 90, 0, 20);
		outcomes.answered("charted", 1, threeMinutesAgo, 10, 1, 80);
		outcomes.answered("charted", 2, threeMinutesAgo, 50, 5, 300);

		browser.open("/admin/#/deployments/charted");

		WebElement traffic = browser.visible(By.id("traffic"));
		for (String chart : new String[] { "chart-traffic-rate", "chart-traffic-errors", "chart-traffic-p99" }) {
			browser.visible(By.cssSelector("#" + chart + " .chart-plot canvas"));
			browser.text(By.cssSelector("#" + chart + " .u-legend"), "v1 stable");
			browser.text(By.cssSelector("#" + chart + " .u-legend"), "v2 canary");
			assertThat(traffic.findElement(By.cssSelector("#" + chart + " .chart-plot")).getAttribute("role"))
				.isEqualTo("img");
		}
		assertThat(traffic.findElement(By.cssSelector("#chart-traffic-rate figcaption")).getText())
			.isEqualTo("Requests per second (last 60 minutes, per 1 min)");
		browser.text(By.cssSelector("#chart-traffic-rate .chart-summary"),
				"v1 stable: latest 0.00/s, lowest 0.00/s, highest 1.67/s. v2 canary: latest 0.00/s, lowest 0.00/s, highest 0.83/s.");
		assertThat(traffic.findElement(By.cssSelector("#chart-traffic-errors .chart-summary")).getText())
			.isEqualTo("v1 stable: latest 1.00 %, lowest 1.00 %, highest 1.00 %. "
					+ "v2 canary: latest 10.0 %, lowest 10.0 %, highest 10.0 %.");
		assertThat(traffic.findElement(By.cssSelector("#chart-traffic-p99 .chart-summary")).getText())
			.isEqualTo("v1 stable: latest 95 ms, lowest 95 ms, highest 95 ms. "
					+ "v2 canary: latest 497 ms, lowest 497 ms, highest 497 ms.");
		// The numbers behind a chart open from the keyboard: one row per minute, the
		// written one with both versions' values.
		WebElement numbers = traffic.findElement(By.cssSelector("#chart-traffic-p99 details summary"));
		numbers.sendKeys(Keys.ENTER);
		List<WebElement> rows = browser.waitFor("the p99 table's rows",
				(driver) -> driver.findElements(By.cssSelector("#chart-traffic-p99 details[open] tbody tr")));
		assertThat(rows).hasSize(60);
		assertThat(rows).extracting((row) -> row.getText().replaceFirst("^\\d\\d:\\d\\d ", ""))
			.containsOnlyOnce("95 ms 497 ms")
			.filteredOn((text) -> !text.equals("95 ms 497 ms"))
			.containsOnly("— —");
		assertEveryControlIsLabelled();
		assertThat(browser.consoleMessages()).as("what the browser refused or failed")
			.noneMatch((message) -> message.contains("Content Security Policy") || message.contains("Refused"));
		// The policy is in force: an inline script, as an API value slipped in as markup
		// would be, is refused.
		browser.script("""
				const script = document.createElement('script');
				script.textContent = 'document.body.dataset.inline = "ran"';
				document.head.append(script);""");
		assertThat(browser.script("return document.body.dataset.inline || 'refused'")).isEqualTo("refused");
		assertThat(browser.consoleMessages()).anyMatch((message) -> message.contains("Content Security Policy"));
		browser.screenshot("deployment-traffic");

		// A window the API refuses: the section shows the problem's title and detail, the
		// rest of the page stays.
		browser.script("""
				const select = document.getElementById('traffic-window');
				select.append(new Option('forever', '100000'));
				select.value = '100000';
				select.dispatchEvent(new Event('change'));""");
		browser.text(By.id("traffic"),
				"Unavailable: Invalid parameter — minutes: must be a whole number from 5 to 1440");
		assertThat(browser.driver().findElement(By.id("spec-canary")).getText()).isEqualTo("v2 at 33.00 %");

		browser.driver().manage().window().setSize(new Dimension(390, 844));
		try {
			new Select(browser.visible(By.id("traffic-window"))).selectByValue("60");
			browser.visible(By.cssSelector("#chart-traffic-p99 .chart-plot canvas"));
			Number overflow = (Number) browser
				.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
			assertThat(overflow.intValue()).as("sideways overflow at phone width").isLessThanOrEqualTo(0);
			Number canvas = (Number) browser
				.script("return document.querySelector('#chart-traffic-rate canvas').getBoundingClientRect().width");
			assertThat(canvas.intValue()).as("the chart's width at phone width").isBetween(200, 390);
			browser.screenshot("deployment-phone");
		}
		finally {
			browser.driver().manage().window().setSize(ConsoleBrowser.DESKTOP);
		}
	}

	@Test
	void aPersonSetsTheObjectivesOfADeploymentThroughThePageAndSeesFieldErrors() {
		deploy("objectives", "{\"model\": \"fraud\", \"stableVersion\": 1}");
		browser.open("/admin/#/deployments/objectives");
		browser.text(By.id("slo-objectives"), "No objectives are set.");

		browser.visible(By.id("slo-add")).click();
		WebElement row = browser.visible(By.cssSelector("#slo-rows fieldset"));
		fill(row, "name", "availability");
		fill(row, "objective", "0.999");
		fill(row, "window", "28d");
		browser.driver().findElement(By.cssSelector("#slo-form button[type=submit]")).click();

		browser.text(By.id("status"), "Saved 1 objective: revision 1");
		JsonNode slos = this.api.get("/api/v1/deployments/objectives/slos").json();
		assertThat(slos.path("objectives").size()).isEqualTo(1);
		JsonNode availability = slos.path("objectives").get(0);
		assertThat(availability.path("name").asString()).isEqualTo("availability");
		assertThat(availability.path("sli").asString()).isEqualTo("availability");
		assertThat(availability.path("objective").asDouble()).isEqualTo(0.999);
		assertThat(availability.path("window").asString()).isEqualTo("28d");
		assertThat(slos.path("updatedBy").asString()).isEqualTo(ADMIN_USER);
		browser.text(By.id("slo-objectives"), "revision 1, by " + ADMIN_USER);
		browser.text(By.cssSelector("table.slo-status tr[data-objective=availability]"), "v1 stable");
		assertThat(browser.driver().findElements(By.cssSelector("table.slo-status th"))).extracting(WebElement::getText)
			.contains("Budget left", "Burn 5m", "Burn 3d");

		// A second objective with a threshold no histogram has: the 422 names it next to
		// the field,
		// and nothing changes; then a bound that exists saves, with the first save's
		// ETag.
		browser.driver().findElement(By.id("slo-add")).click();
		WebElement latency = browser.driver().findElements(By.cssSelector("#slo-rows fieldset")).get(1);
		fill(latency, "name", "p99-latency");
		new Select(latency.findElement(By.cssSelector("[data-field=sli]"))).selectByValue("latency");
		fill(latency, "objective", "0.99");
		fill(latency, "thresholdMs", "300");
		browser.driver().findElement(By.cssSelector("#slo-form button[type=submit]")).click();

		browser.text(By.cssSelector("#alerts [role=alert]"), "objectives[1].thresholdMs");
		WebElement error = browser.visible(By.cssSelector("#slo-rows fieldset .field-error"));
		assertThat(latency.findElement(By.cssSelector("[data-field=thresholdMs]")).getAttribute("aria-invalid"))
			.isEqualTo("true");
		assertThat(error.getText()).isNotBlank();
		assertThat(this.api.get("/api/v1/deployments/objectives/slos").json().path("revision").asLong()).isEqualTo(1);

		fill(latency, "thresholdMs", "100");
		browser.driver().findElement(By.cssSelector("#slo-form button[type=submit]")).click();
		browser.text(By.id("status"), "Saved 2 objectives: revision 2");
		JsonNode saved = this.api.get("/api/v1/deployments/objectives/slos").json().path("objectives").get(1);
		assertThat(saved.path("sli").asString()).isEqualTo("latency");
		assertThat(saved.path("thresholdMs").asInt()).isEqualTo(100);
		assertThat(browser.driver().findElements(By.cssSelector("#slo-rows .field-error"))).isEmpty();
		// Each objective's budget over its window, from GET …/slo-status/history: no
		// traffic here yet.
		browser.text(By.cssSelector("#budget-charts figure[data-objective=p99-latency]"),
				"no request in any window yet");
		assertEveryControlIsLabelled();

		// A budget that was spent and then overspent, drawn on the same page: a value per
		// moment whose window held requests, the axis below zero.
		Object drawn = browser.asyncScript(
				"""
						const done = arguments[arguments.length - 1];
						import('/admin/js/chart.js').then((chart) => {
						  const point = (at, left) => ({ at, requests: left === null ? 0 : 100, errorBudgetRemaining: left });
						  const box = chart.budgetCharts({ objectives: [{ name: 'availability', sli: 'availability', objective: 0.99,
						    window: '1d', versions: [{ version: 1, role: 'stable', points: [point('2026-12-01T00:00:00Z', null),
						      point('2026-12-01T12:00:00Z', 0.8), point('2026-12-02T00:00:00Z', -0.2)] }] }] });
						  box.id = 'made-up-budget';
						  document.getElementById('slos').append(box);
						  done([[...box.querySelectorAll('#chart-budget-0 tbody tr')].map((row) => row.cells[1].textContent).join(' | '),
						    box.querySelector('#chart-budget-0 .chart-summary').textContent,
						    chart.budgetCharts({ objectives: [] }) === null]);
						});""");
		assertThat((List<Object>) drawn).containsExactly("— | 80 % | -20 %",
				"v1 stable: latest -20 %, lowest -20 %, highest 80 %.", true);
		browser.visible(By.cssSelector("#made-up-budget #chart-budget-0 .chart-plot canvas"));
	}

	@Test
	void anAdminCreatesAClientSeesItsSecretOnceRotatesItChangesItsRatePlanAndDisablesIt() {
		browser.open("/admin/#/clients");
		browser.text(By.cssSelector("#clients-list table"), ControlPlaneIntegrationTest.ADMIN_CLIENT);

		fill(By.id("client-id"), "shop-web");
		fill(By.id("client-tenant"), "shop");
		fill(By.id("client-scopes"), "predict registry:read");
		fill(By.id("client-rps"), "20");
		fill(By.id("client-burst"), "40");
		browser.driver().findElement(By.cssSelector("#client-form button[type=submit]")).click();

		WebElement secret = browser.visible(By.id("client-secret-value"));
		String shown = secret.getAttribute("value");
		assertThat(shown).isNotBlank();
		browser.text(By.cssSelector("tr[data-client='shop-web'] .rate-plan"), "20/s, burst 40");
		assertThat(this.api.token("shop-web", shown)).as("the secret shown works").isNotBlank();
		JsonNode created = this.api.get("/api/v1/clients/shop-web").json();
		assertThat(created.path("scopes").toString()).isEqualTo("[\"predict\",\"registry:read\"]");
		assertThat(created.path("tenant").asString()).isEqualTo("shop");
		browser.driver().findElement(By.id("client-secret-copy")).click();
		browser.text(By.id("client-secret-copied"), "C");
		assertEveryControlIsLabelled();
		browser.screenshot("clients");

		browser.driver().navigate().refresh();
		browser.text(By.cssSelector("tr[data-client='shop-web']"), "shop");
		assertThat(browser.driver().findElements(By.id("client-secret-value"))).as("shown once").isEmpty();
		assertThat(browser.driver().getPageSource()).doesNotContain(shown);

		row("shop-web").findElement(By.cssSelector("button[data-action=rotate-secret]")).click();
		browser.visible(By.cssSelector("dialog[open] button[value=confirm]")).click();
		String rotated = browser.visible(By.id("client-secret-value")).getAttribute("value");
		assertThat(rotated).isNotBlank().isNotEqualTo(shown);
		assertThat(this.api.token("shop-web", rotated)).isNotBlank();
		browser.text(By.cssSelector("tr[data-client='shop-web']"), "old secret works until");

		row("shop-web").findElement(By.cssSelector("button[data-action=rate-plan]")).click();
		fill(By.id("edit-rps"), "5");
		fill(By.id("edit-burst"), "10");
		fill(By.id("edit-quota"), "1000");
		browser.visible(By.cssSelector("dialog[open] button[value=confirm]")).click();
		browser.text(By.cssSelector("tr[data-client='shop-web'] .rate-plan"), "5/s, burst 10, 1,000 a day");
		JsonNode plan = this.api.get("/api/v1/clients/shop-web").json().path("ratePlan");
		assertThat(plan.path("requestsPerSecond").asDouble()).isEqualTo(5.0);
		assertThat(plan.path("dailyQuota").asLong()).isEqualTo(1000);

		row("shop-web").findElement(By.cssSelector("button[data-action=disable]")).click();
		browser.visible(By.cssSelector("dialog[open] button[value=confirm]")).click();
		browser.text(By.cssSelector("tr[data-client='shop-web'] .client-state"), "disabled");
		assertThat(this.api.get("/api/v1/clients/shop-web").json().path("disabled").asBoolean()).isTrue();
		assertThat(this.api.tokenRequest("shop-web", rotated, null).status()).isNotEqualTo(200);
	}

	@Test
	void anAdminCreatesAUserGivesItTheDeployerRoleAndDisablesItAndADeployerSeesNoControls() {
		browser.open("/admin/#/users");
		browser.text(By.cssSelector("tr[data-user='" + ADMIN_USER + "'] .user-roles"), "admin");
		assertThat(row("user", ADMIN_USER).findElements(By.cssSelector("button[data-action=disable]")))
			.as("the API refuses disabling yourself, so the page offers no button for it")
			.isEmpty();

		String refused = "{\"username\": \"dana\", \"password\": \"short\", \"roles\": [\"viewer\"]}";
		JsonNode expected = this.api.postJson("/api/v1/users", refused).json();
		fill(By.id("user-name"), "dana");
		fill(By.id("user-password"), "short");
		browser.driver().findElement(By.cssSelector("#user-form button[type=submit]")).click();
		WebElement alert = browser.visible(By.cssSelector("#alerts [role=alert]"));
		assertThat(alert.findElement(By.cssSelector(".alert-title")).getText())
			.isEqualTo(expected.path("title").asString());
		assertThat(alert.findElement(By.cssSelector(".alert-detail")).getText())
			.isEqualTo(expected.path("detail").asString());
		assertThat(alert.getText()).contains("password: must be 12-128 characters");
		assertThat(this.api.get("/api/v1/users/dana").status()).as("a refused create makes nobody").isEqualTo(404);

		fill(By.id("user-password"), "dana-password-123");
		assertThat(browser.driver().findElement(By.id("user-role-viewer")).isSelected()).isTrue();
		browser.driver().findElement(By.cssSelector("#user-form button[type=submit]")).click();
		browser.text(By.cssSelector("tr[data-user='dana'] .user-roles"), "viewer");
		browser.text(By.id("status"), "User dana created");
		JsonNode created = this.api.get("/api/v1/users/dana").json();
		assertThat(created.path("roles").toString()).isEqualTo("[\"viewer\"]");
		assertThat(created.path("createdBy").asString()).isEqualTo(ADMIN_USER);
		assertEveryControlIsLabelled();
		browser.screenshot("users");

		row("user", "dana").findElement(By.cssSelector("button[data-action=roles]")).click();
		browser.visible(By.id("edit-role-viewer")).click();
		browser.driver().findElement(By.id("edit-role-deployer")).click();
		browser.visible(By.cssSelector("dialog[open] button[value=confirm]")).click();
		browser.text(By.cssSelector("tr[data-user='dana'] .user-roles"), "deployer");
		assertThat(this.api.get("/api/v1/users/dana").json().path("roles").toString()).isEqualTo("[\"deployer\"]");

		row("user", "dana").findElement(By.cssSelector("button[data-action=reset-password]")).click();
		fill(By.id("reset-password"), "dana-new-password-1");
		browser.visible(By.cssSelector("dialog[open] button[value=confirm]")).click();
		browser.text(By.id("status"), "dana has a new password");

		try {
			browser.driver().manage().deleteAllCookies();
			browser.open("/login");
			signIn("dana", "dana-new-password-1");
			browser.text(By.id("whoami"), "dana (deployer)");
			assertThat(browser.driver()
				.findElements(By.cssSelector("nav[aria-label=Main] a"))
				.stream()
				.filter(WebElement::isDisplayed)
				.map(WebElement::getText)).doesNotContain("Users", "Clients", "Audit log");
			browser.open("/admin/#/users");
			browser.text(By.tagName("h1"), "Users");
			browser.visible(By.id("read-only"));
			assertThat(browser.driver().findElements(By.cssSelector("main form, main button, main table"))).isEmpty();
		}
		finally {
			browser.driver().manage().deleteAllCookies();
		}
		browser.open("/admin/");
		signIn();
		browser.open("/admin/#/users");

		row("user", "dana").findElement(By.cssSelector("button[data-action=disable]")).click();
		browser.visible(By.cssSelector("dialog[open] button[value=confirm]")).click();
		browser.text(By.cssSelector("tr[data-user='dana'] .user-state"), "disabled");
		assertThat(this.api.get("/api/v1/users/dana").json().path("disabled").asBoolean()).isTrue();
		assertThat(row("user", "dana").findElements(By.cssSelector("button[data-action=enable]"))).hasSize(1);
	}

	@Test
	void aFeatureViewShowsItsSchemaTheModelVersionsBoundToItAndWhatTheInstancesMeasured() throws Exception {
		Response view = this.api.postJson("/api/v1/feature-views", """
				{"name": "card_features", "version": 1, "entityKeys": ["card_id"], "maxAgeSeconds": 600,
				 "onMissing": "defaults", "onStale": "serve-stale",
				 "features": [{"name": "account_age_days", "dtype": "FP32", "defaultValue": 0},
				              {"name": "txn_count_24h", "dtype": "FP32", "defaultValue": 0}]}""");
		assertThat(view.status()).as(view.toString()).isEqualTo(201);
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"carded\"}").status()).isEqualTo(201);
		Response uploaded = this.api.upload("carded", Files.readAllBytes(TestModels.fraudClassifier()), """
				{"featureBinding": {"featureView": {"name": "card_features", "version": 1},
				 "requestFeatures": [{"name": "amount", "dtype": "FP32"}],
				 "inputs": {"input": ["account_age_days", "amount", "txn_count_24h"]}}}""");
		assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
		deploy("carded", "{\"model\": \"carded\", \"pool\": \"cards\", \"stableVersion\": 1}");
		announce("cards", "i-1", """
				[{"name": "card_features", "version": 1, "cacheHits": 120, "cacheMisses": 40, "rowsRead": 150,
				  "rowAgeMillisSum": 1800000, "oldestRowAgeMillis": 45000}]""");

		browser.open("/admin/#/feature-views");
		browser.text(By.cssSelector("tr[data-view='card_features']"), "card_id");
		browser.driver().findElement(By.linkText("card_features")).click();

		browser.text(By.tagName("h1"), "Feature view card_features");
		WebElement version = browser.visible(By.id("version-1"));
		assertThat(version.findElement(By.cssSelector(".entity-key")).getText()).isEqualTo("card_id");
		assertThat(version.findElement(By.cssSelector(".max-age")).getText()).isEqualTo("10 min");
		assertThat(version.findElements(By.cssSelector("table.features tbody tr"))).extracting(WebElement::getText)
			.containsExactly("account_age_days FP32 0", "txn_count_24h FP32 0");
		browser.text(By.cssSelector("#version-1 .bound-by"), "carded v1, routed by carded");
		browser.text(By.cssSelector("#version-1 .hit-ratio"), "75.0 % (120 hits, 40 misses)");
		assertThat(version.findElement(By.cssSelector(".mean-age")).getText()).isEqualTo("12 s");
		assertThat(version.findElement(By.cssSelector(".oldest-age")).getText()).isEqualTo("45 s");
		assertThat(version.findElement(By.cssSelector("table.instances tbody")).getText()).contains("i-1")
			.contains("cards");

		announce("cards", "i-2", """
				[{"name": "card_features", "version": 1, "cacheHits": 40, "cacheMisses": 0, "rowsRead": 50,
				  "rowAgeMillisSum": 600000, "oldestRowAgeMillis": 5000}]""");
		browser.text(By.cssSelector("#version-1 .hit-ratio"), "80.0 % (160 hits, 40 misses)");
		assertEveryControlIsLabelled();
		browser.screenshot("feature-views");
	}

	@Test
	void theAuditLogFiltersByActorActionAndTime() {
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"audited\"}").status()).isEqualTo(201);
		browser.open("/admin/#/audit");
		browser.visible(By.id("audit-events"));

		fill(By.id("audit-actor"), ControlPlaneIntegrationTest.ADMIN_CLIENT);
		fill(By.id("audit-action"), "model.created");
		String since = LocalDateTime.ofInstant(Instant.now().minus(2, ChronoUnit.DAYS), ZoneId.systemDefault())
			.truncatedTo(ChronoUnit.MINUTES)
			.toString();
		browser.script("document.getElementById('audit-since').value = arguments[0]", since);
		browser.driver().findElement(By.cssSelector("#audit-filters button[type=submit]")).click();

		browser.waitFor("the filters in the address",
				(driver) -> driver.getCurrentUrl().contains("actor=" + ControlPlaneIntegrationTest.ADMIN_CLIENT)
						&& driver.getCurrentUrl().contains("action=model.created")
						&& driver.getCurrentUrl().contains("since="));
		browser.text(By.cssSelector("#audit-events caption"), "Matching events");
		WebElement audited = browser.text(By.cssSelector("#audit-events tbody tr"), "audited");
		assertThat(audited.getText()).contains(ControlPlaneIntegrationTest.ADMIN_CLIENT).contains("model.created");
		assertThat(browser.driver().findElements(By.cssSelector("#audit-events tbody tr")))
			.allSatisfy((row) -> assertThat(row.getAttribute("data-action")).isEqualTo("model.created"));
		assertEveryControlIsLabelled();
		browser.screenshot("audit");
	}

	@Test
	void everyPageIsReadableAtPhoneWidthWithoutScrollingSideways() {
		deploy("phone",
				"{\"model\": \"fraud\", \"stableVersion\": 1, \"canary\": {\"version\": 2, \"weightBasisPoints\": 500}}");
		try {
			browser.driver().manage().window().setSize(new Dimension(390, 844));
			for (String[] page : new String[][] { { "#/", "Overview" }, { "#/deployments/phone", "Deployment phone" },
					{ "#/models", "Models" }, { "#/models/fraud", "Model fraud" }, { "#/audit", "Audit log" },
					{ "#/clients", "Clients" }, { "#/users", "Users" }, { "#/feature-views", "Feature views" } }) {
				browser.open("/admin/" + page[0]);
				browser.text(By.tagName("h1"), page[1]);
				Number overflow = (Number) browser
					.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
				assertThat(overflow.intValue()).as("sideways overflow of " + page[0]).isLessThanOrEqualTo(0);
				assertEveryControlIsLabelled();
			}
		}
		finally {
			browser.driver().manage().window().setSize(ConsoleBrowser.DESKTOP);
		}
	}

	private void signIn() {
		signIn(ADMIN_USER, ADMIN_PASSWORD);
	}

	private void signIn(String username, String password) {
		browser.visible(By.id("username")).sendKeys(username);
		browser.driver().findElement(By.id("password")).sendKeys(password);
		browser.driver().findElement(By.cssSelector("form button[type=submit]")).click();
		browser.waitFor("the console after signing in",
				(driver) -> driver.getCurrentUrl().contains("/admin/") && !driver.getCurrentUrl().contains("/login"));
	}

	private static void fill(By locator, String text) {
		WebElement input = browser.visible(locator);
		input.clear();
		input.sendKeys(text);
	}

	private static WebElement row(String clientId) {
		return row("client", clientId);
	}

	/** The table row of a client or user, by its data-client or data-user attribute. */
	private static WebElement row(String kind, String id) {
		return browser.visible(By.cssSelector("tr[data-" + kind + "='" + id + "']"));
	}

	/** Types into the field of an objective's fieldset named by its data-field. */
	private static void fill(WebElement fieldset, String field, String text) {
		WebElement input = fieldset.findElement(By.cssSelector("[data-field=" + field + "]"));
		input.clear();
		input.sendKeys(text);
	}

	private static WebElement activeElement() {
		return browser.driver().switchTo().activeElement();
	}

	/** Every form control on the page has a label a screen reader announces. */
	private static void assertEveryControlIsLabelled() {
		Object unlabelled = browser.script("""
				return [...document.querySelectorAll('input, select, textarea')]
				  .filter((c) => c.type !== 'hidden' && c.labels.length === 0 && !c.getAttribute('aria-label'))
				  .map((c) => c.outerHTML)""");
		assertThat((List<?>) unlabelled).isEmpty();
	}

	private void deploy(String name, String spec) {
		Response created = put(name, spec);
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
	}

	private Response put(String path, String spec, String... headers) {
		return this.api.send(this.api.request("/api/v1/deployments/" + path, headers)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(spec)));
	}

	/**
	 * Writes an inference instance's announcement into Redis in the shape its
	 * {@code InstanceAnnouncer} writes it, live for a minute.
	 */
	private void announce(String pool, String instanceId, String featureViews) {
		String index = InstanceAnnouncement.indexKey(this.namespace.keyPrefix(), pool);
		this.redis.opsForValue()
			.set(index + ":" + instanceId, """
					{"instanceId": "%s", "baseUrl": "http://10.0.0.7:8082", "pool": "%s", "readyVersions": [],
					 "versions": [], "announcedAt": "%s", "featureViews": %s}""".formatted(instanceId, pool,
					Instant.now(), featureViews), Duration.ofMinutes(1));
		this.redis.opsForZSet().add(index, instanceId, System.currentTimeMillis() + 60_000);
	}

	/** The routing revision, from the snapshot's ETag. */
	private long routingRevision() {
		Response routing = this.api.get("/api/v1/routing");
		assertThat(routing.status()).isEqualTo(200);
		return Long.parseLong(routing.header("ETag").replace("\"", ""));
	}

}
