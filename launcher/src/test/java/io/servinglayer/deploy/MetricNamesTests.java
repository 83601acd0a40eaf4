package io.servinglayer.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import org.junit.jupiter.api.Test;

import io.servinglayer.deploy.KubernetesManifests.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric name the alerts, the dashboards, the alerts' unit tests, the Prometheus
 * adapter's rule and the autoscaler use is in {@code deploy/metric-names.txt}, and every
 * entry of that list names a meter the services' sources register. The list is checked
 * against the sources, not against a scrape of running services: a name the sources
 * register under another type (a counter where the list says a timer) is not caught here.
 */
class MetricNamesTests {

	private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
			"on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2");

	private static final List<String> SUFFIXES = List.of("", "_total", "_seconds", "_seconds_bucket", "_seconds_count",
			"_seconds_sum", "_seconds_max", "_bucket", "_count", "_sum", "_max");

	private static final Pattern SERIES_NAME = Pattern.compile("^\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

	@Test
	void everyListedMetricComesFromAMeterTheSourcesRegister() {
		String sources = mainSources();
		for (Entry entry : list()) {
			if (entry.meter().startsWith("(")) {
				assertThat(entry.meter()).as(entry.name()).isIn("(spring-boot)", "(prometheus)");
				continue;
			}
			assertThat(sources)
				.as("a meter named \"%s\" in */src/main/java, which %s comes from", entry.meter(), entry.name())
				.contains("\"" + entry.meter() + "\"");
			String base = entry.meter().replace('.', '_');
			assertThat(entry.name()).as("Micrometer's Prometheus name of %s", entry.meter()).startsWith(base);
			assertThat(SUFFIXES).as("the suffix of %s after %s", entry.name(), base)
				.contains(entry.name().substring(base.length()));
		}
	}

	@Test
	void theAlertsUseOnlyListedMetrics() {
		Map<String, String> used = new LinkedHashMap<>();
		for (Object group : KubernetesManifests
			.list(DeployFolder.yamlMap(DeployFolder.deploy("prometheus/alerts.yaml")).get("groups"))) {
			for (Object rule : KubernetesManifests.list(((Map<?, ?>) group).get("rules"))) {
				Map<?, ?> fields = (Map<?, ?>) rule;
				metricNames(String.valueOf(fields.get("expr")))
					.forEach((name) -> used.putIfAbsent(name, "alert " + fields.get("alert")));
			}
		}
		assertThat(used).as("metrics the alerts use")
			.containsKeys("controlplane_leader", "gateway_ratelimit_decisions_without_redis_total",
					"gateway_instances_ejections_total", "inference_model_load_failures_total", "inference_queue_depth",
					"inference_requests_shed_total", "servinglayer_routing_staleness_seconds",
					"gateway_outcomes_dropped_total", "controlplane_webhooks_deliveries_total",
					"gateway_feedback_total");
		assertListed(used);
	}

	@Test
	void theAlertsUnitTestsFeedOnlyListedMetrics() {
		Map<String, String> used = new LinkedHashMap<>();
		for (Object test : KubernetesManifests
			.list(DeployFolder.yamlMap(DeployFolder.deploy("prometheus/alerts-test.yaml")).get("tests"))) {
			for (Object series : KubernetesManifests.list(((Map<?, ?>) test).get("input_series"))) {
				Matcher name = SERIES_NAME.matcher(String.valueOf(((Map<?, ?>) series).get("series")));
				assertThat(name.find()).isTrue();
				used.putIfAbsent(name.group(1), "alerts-test.yaml");
			}
		}
		assertThat(used).isNotEmpty();
		assertListed(used);
	}

	@Test
	void theDashboardsUseOnlyListedMetrics() throws IOException {
		Map<String, String> used = new LinkedHashMap<>();
		ObjectMapper json = new ObjectMapper();
		for (Path file : DeployFolder.files("grafana/dashboards", ".json")) {
			JsonNode dashboard = json.readTree(file.toFile());
			for (JsonNode panel : dashboard.path("panels")) {
				for (JsonNode target : panel.path("targets")) {
					metricNames(target.path("expr").asText()).forEach((name) -> used.putIfAbsent(name,
							DeployFolder.name(file) + " panel \"" + panel.path("title").asText() + "\""));
				}
			}
			for (JsonNode variable : dashboard.path("templating").path("list")) {
				if (variable.path("type").asText().equals("query")) {
					String query = variable.path("definition").asText();
					Matcher labelValues = Pattern.compile("label_values\\(([^,{]+)").matcher(query);
					assertThat(labelValues.find()).as("variable %s is a label_values() query", variable.path("name"))
						.isTrue();
					used.putIfAbsent(labelValues.group(1).trim(),
							DeployFolder.name(file) + " variable " + variable.path("name").asText());
				}
			}
		}
		assertThat(used).as("metrics the dashboards use")
			.containsKeys("slo_error_budget_remaining", "slo_burn_rate", "gateway_model_requests_seconds_count",
					"inference_queue_wait_seconds_bucket", "inference_model_execution_seconds_bucket",
					"inference_batch_size_bucket", "features_cache_lookups_total", "features_freshness_seconds_bucket",
					"inference_model_load_seconds_sum");
		assertListed(used);
	}

	@Test
	@SuppressWarnings("unchecked")
	void theAutoscalerAndThePrometheusAdapterUseOnlyListedMetrics() {
		Map<String, String> used = new LinkedHashMap<>();
		for (Manifest manifest : KubernetesManifests.all()) {
			if (manifest.object() instanceof HorizontalPodAutoscaler autoscaler && autoscaler.getSpec() != null) {
				for (MetricSpec metric : autoscaler.getSpec().getMetrics()) {
					if (metric.getPods() != null) {
						used.put(metric.getPods().getMetric().getName(), manifest.toString());
					}
				}
			}
			if (manifest.object() instanceof ConfigMap configMap && configMap.getData().containsKey("config.yaml")) {
				Map<String, Object> config = new org.yaml.snakeyaml.Yaml().load(configMap.getData().get("config.yaml"));
				for (Object rule : KubernetesManifests.list(config.get("rules"))) {
					Map<String, Object> fields = (Map<String, Object>) rule;
					metricNames(String.valueOf(fields.get("seriesQuery")))
						.forEach((name) -> used.put(name, manifest.toString()));
					used.put(String.valueOf(((Map<String, Object>) fields.get("name")).get("as")), manifest.toString());
				}
			}
		}
		assertThat(used).containsKey("inference_queue_depth");
		assertListed(used);
	}

	@Test
	void metricNamesAreReadFromPromqlWithoutFunctionsLabelsOrVariables() {
		assertThat(metricNames("histogram_quantile(0.99, sum by (model, le) (rate(gateway_model_requests_seconds_bucket"
				+ "{model=~\"$deployment\", outcome!=\"client_closed\"}[$__rate_interval]))) / on (model) group_left "
				+ "vector($objective) > bool 1e3 or (sum(controlplane_leader) or vector(0)) offset 5m"))
			.containsExactlyInAnyOrder("gateway_model_requests_seconds_bucket", "controlplane_leader");
		assertThat(metricNames("1 - (sum without (instance) (x_total{a=\"b\"}) / ignoring(le) y_count)"))
			.containsExactlyInAnyOrder("x_total", "y_count");
	}

	/** The metric names a PromQL expression (with Grafana variables) reads. */
	static Set<String> metricNames(String expression) {
		String text = expression.replaceAll("\\$\\{\\w+(:\\w+)?\\}|\\$\\w+", "1")
			.replaceAll("\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'|`[^`]*`", "\"\"")
			.replaceAll("\\{[^}]*\\}", " ")
			.replaceAll("\\[[^\\]]*\\]", " ")
			.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
		Set<String> names = new LinkedHashSet<>();
		Matcher token = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(text);
		while (token.find()) {
			String word = token.group(1);
			if (token.group(2) == null && !PROMQL_WORDS.contains(word.toLowerCase())) {
				names.add(word);
			}
		}
		return names;
	}

	private static void assertListed(Map<String, String> used) {
		Set<String> listed = new TreeSet<>();
		list().forEach((entry) -> listed.add(entry.name()));
		used.forEach((name, where) -> assertThat(listed)
			.as("%s, used by %s, is in deploy/metric-names.txt (a metric the services export)", name, where)
			.contains(name));
	}

	/** The entries of deploy/metric-names.txt: name, meter, exported by. */
	static List<Entry> list() {
		List<Entry> entries = new ArrayList<>();
		for (String line : DeployFolder.read(DeployFolder.deploy("metric-names.txt")).split("\n")) {
			String trimmed = line.strip();
			if (trimmed.isEmpty() || trimmed.startsWith("#")) {
				continue;
			}
			String[] columns = trimmed.split("\\s+", 3);
			assertThat(columns).as("line \"%s\": name, meter, exported by", line).hasSize(3);
			entries.add(new Entry(columns[0], columns[1], columns[2]));
		}
		assertThat(entries).isNotEmpty();
		return entries;
	}

	private static String mainSources() {
		StringBuilder all = new StringBuilder();
		try (Stream<Path> modules = Files.list(DeployFolder.root())) {
			for (Path module : modules.toList()) {
				Path main = module.resolve("src/main/java");
				if (!Files.isDirectory(main)) {
					continue;
				}
				try (Stream<Path> files = Files.walk(main)) {
					for (Path file : files.filter((f) -> f.toString().endsWith(".java")).toList()) {
						all.append(DeployFolder.read(file)).append('\n');
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return all.toString();
	}

	record Entry(String name, String meter, String exportedBy) {
	}

}
