package io.servinglayer.controlplane.slo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PrometheusRulesTests {

	private static final SloProperties settings = new SloProperties(List.of(25, 50, 100, 200, 500, 1000, 2500, 5000),
			List.of(1, 5, 15, 30, 60, 300, 900, 3600, 21600, 86400));

	private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

	@Test
	void latencyThresholdsNameTheLeLabelsMicrometerWritesForTheGatewaysTimer() {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		// As the gateway makes it: its management.metrics.distribution.slo bounds.
		Timer.builder("gateway.model.requests")
			.tags("model", "fraud", "version", "1", "outcome", "success")
			.serviceLevelObjectives(
					settings.latencyBoundsMs().stream().map(Duration::ofMillis).toArray(Duration[]::new))
			.register(registry)
			.record(Duration.ofMillis(30));
		String scraped = registry.scrape();

		for (int thresholdMs : settings.latencyBoundsMs()) {
			String expr = PrometheusRules.errorRatio("fraud",
					new Objective("p", "latency", 0.99, "28d", thresholdMs, null), "5m");
			String le = single(LE, expr);
			assertThat(scraped).as("le of %d ms", thresholdMs)
				.contains(
						"gateway_model_requests_seconds_bucket{model=\"fraud\",outcome=\"success\",version=\"1\",le=\""
								+ le + "\"}");
		}
		assertThat(PrometheusRules.le(50 / 1000.0)).isEqualTo("0.05");
		assertThat(PrometheusRules.le(1000 / 1000.0)).isEqualTo("1.0");
	}

	@Test
	void freshnessBoundsNameTheLeLabelsMicrometerWritesForTheInstancesSummary() {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		// As an inference instance makes it (VersionMetrics).
		DistributionSummary.builder("features.freshness")
			.baseUnit("seconds")
			.tags("model", "accounts", "model.version", "1")
			.serviceLevelObjectives(
					settings.freshnessBucketsSeconds().stream().mapToDouble(Integer::doubleValue).toArray())
			.register(registry)
			.record(12);
		String scraped = registry.scrape();

		for (int maxAgeSeconds : settings.freshnessBucketsSeconds()) {
			String expr = PrometheusRules.errorRatio("accounts",
					new Objective("f", "freshness", 0.99, "7d", null, maxAgeSeconds), "1h");
			String le = single(LE, expr);
			assertThat(scraped).as("le of %d s", maxAgeSeconds)
				.contains(
						"features_freshness_seconds_bucket{model=\"accounts\",model_version=\"1\",le=\"" + le + "\"}");
		}
		assertThat(PrometheusRules.le(300)).isEqualTo("300.0");
	}

	@Test
	void everyObjectiveGetsItsErrorRatiosItsBudgetAndAPageAndATicketAlert() {
		DeploymentSlos slos = new DeploymentSlos("fraud",
				List.of(new Objective("availability", "availability", 0.999, "28d", null, null),
						new Objective("fast", "latency", 0.99, "1d", 200, null)),
				1, "ci", Instant.EPOCH);

		Map<String, Object> file = new Yaml().load(PrometheusRules.yaml(List.of(slos)));

		List<Map<String, Object>> groups = list(file.get("groups"));
		assertThat(groups).extracting((group) -> group.get("name"))
			.containsExactly("slo/fraud/availability", "slo/fraud/fast");
		List<Map<String, Object>> rules = list(groups.get(0).get("rules"));
		assertThat(rules).extracting((rule) -> rule.get("record"))
			.containsExactly("slo:sli_error:ratio_rate5m", "slo:sli_error:ratio_rate30m", "slo:sli_error:ratio_rate1h",
					"slo:sli_error:ratio_rate2h", "slo:sli_error:ratio_rate6h", "slo:sli_error:ratio_rate1d",
					"slo:sli_error:ratio_rate3d", "slo:sli_error:ratio_rate28d", "slo:objective:ratio",
					"slo:error_budget_remaining:ratio", null, null);
		assertThat(rules.get(0).get("labels")).isEqualTo(Map.of("deployment", "fraud", "slo", "availability"));
		Map<String, Object> page = rules.get(10);
		assertThat(page.get("alert")).isEqualTo("SloErrorBudgetBurn");
		assertThat(page.get("labels"))
			.isEqualTo(Map.of("severity", "page", "deployment", "fraud", "slo", "availability"));
		assertThat((String) page.get("expr"))
			.contains("slo:sli_error:ratio_rate1h{deployment=\"fraud\",slo=\"availability\"} > 0.0144")
			.contains("slo:sli_error:ratio_rate5m{deployment=\"fraud\",slo=\"availability\"} > 0.0144")
			.contains("slo:sli_error:ratio_rate6h{deployment=\"fraud\",slo=\"availability\"} > 0.006")
			.contains("slo:sli_error:ratio_rate30m{deployment=\"fraud\",slo=\"availability\"} > 0.006");
		Map<String, Object> ticket = rules.get(11);
		assertThat(ticket.get("labels"))
			.isEqualTo(Map.of("severity", "ticket", "deployment", "fraud", "slo", "availability"));
		assertThat((String) ticket.get("expr"))
			.contains("ratio_rate1d{deployment=\"fraud\",slo=\"availability\"} > 0.003")
			.contains("ratio_rate2h{deployment=\"fraud\",slo=\"availability\"} > 0.003")
			.contains("ratio_rate3d{deployment=\"fraud\",slo=\"availability\"} > 0.001")
			.contains("ratio_rate6h{deployment=\"fraud\",slo=\"availability\"} > 0.001");
		assertThat(list(groups.get(1).get("rules"))).extracting((rule) -> rule.get("record"))
			.as("a window that is one of the alerts' is recorded once")
			.containsOnlyOnce("slo:sli_error:ratio_rate1d");
	}

	@Test
	void noSlosMakeAnEmptyRuleFile() {
		assertThat(PrometheusRules.yaml(List.of())).isEqualTo("groups: []\n");
	}

	@Test
	void aWindowIsDaysOrHours() {
		assertThat(new Objective("a", "availability", 0.99, "28d", null, null).windowDuration())
			.isEqualTo(Duration.ofDays(28));
		assertThat(new Objective("a", "availability", 0.99, "12h", null, null).windowDuration())
			.isEqualTo(Duration.ofHours(12));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Objective("a", "availability", 0.99, "4w", null, null).windowDuration())
			.withMessageContaining("'4w'");
	}

	private static String single(Pattern pattern, String text) {
		Matcher matcher = pattern.matcher(text);
		TreeSet<String> found = new TreeSet<>();
		while (matcher.find()) {
			found.add(matcher.group(1));
		}
		assertThat(found).hasSize(1);
		return found.first();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Object value) {
		return (List<Map<String, Object>>) value;
	}

}
