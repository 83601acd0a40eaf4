package io.servinglayer.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboards of {@code deploy/grafana/dashboards} and Grafana's provisioning files:
 * each dashboard parses, has a unique uid, and every panel a title, a data source Grafana
 * can resolve and queries; the provisioning files point where the compose stack mounts
 * the dashboards. Whether Grafana draws them as meant is not checked here.
 */
class GrafanaDashboardsTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	static List<Path> dashboards() {
		return DeployFolder.files("grafana/dashboards", ".json");
	}

	@Test
	void thereAreTheThreeDashboardsWithUniqueUids() throws IOException {
		Set<String> uids = new HashSet<>();
		Set<String> names = new HashSet<>();
		for (Path file : dashboards()) {
			JsonNode dashboard = JSON.readTree(file.toFile());
			assertThat(uids.add(dashboard.path("uid").asText())).as("unique uid in %s", file).isTrue();
			assertThat(dashboard.path("title").asText()).as("title of %s", file).isNotBlank();
			names.add(file.getFileName().toString());
		}
		assertThat(names).containsExactlyInAnyOrder("executive.json", "on-call.json", "debug.json");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dashboards")
	void everyPanelHasATitleADataSourceAndQueries(Path file) throws IOException {
		JsonNode dashboard = JSON.readTree(file.toFile());
		Set<String> dataSourceVariables = new HashSet<>();
		Set<String> variables = new HashSet<>();
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			variables.add(variable.path("name").asText());
			if (variable.path("type").asText().equals("datasource")) {
				assertThat(variable.path("query").asText()).isEqualTo("prometheus");
				dataSourceVariables.add("${" + variable.path("name").asText() + "}");
			}
			if (variable.path("type").asText().equals("query")) {
				assertUsable(variable.path("datasource"), dataSourceVariables, "variable " + variable.path("name"));
			}
		}
		JsonNode panels = dashboard.path("panels");
		assertThat(panels.size()).as("panels of %s", file).isPositive();
		Set<Integer> ids = new HashSet<>();
		for (JsonNode panel : panels) {
			String title = panel.path("title").asText();
			assertThat(title).as("a panel's title in %s", file).isNotBlank();
			assertThat(ids.add(panel.path("id").asInt())).as("unique panel id of \"%s\"", title).isTrue();
			assertThat(panel.path("type").asText()).as("type of \"%s\"", title)
				.isIn("timeseries", "stat", "bargauge", "table", "state-timeline", "gauge");
			assertUsable(panel.path("datasource"), dataSourceVariables, "panel \"" + title + "\"");
			assertThat(panel.path("targets").size()).as("queries of \"%s\"", title).isPositive();
			for (JsonNode target : panel.path("targets")) {
				assertThat(target.path("expr").asText()).as("a query of \"%s\"", title).isNotBlank();
				assertUsable(target.path("datasource"), dataSourceVariables, "a query of \"" + title + "\"");
				for (String used : MetricNamesTests.metricNames(target.path("expr").asText())) {
					assertThat(used).as("a metric name in \"%s\"", title).doesNotStartWith("$");
				}
				var variable = java.util.regex.Pattern.compile("\\$(\\w+)").matcher(target.path("expr").asText());
				while (variable.find()) {
					if (!variable.group(1).startsWith("__")) {
						assertThat(variables).as("the variable $%s of \"%s\"", variable.group(1), title)
							.contains(variable.group(1));
					}
				}
			}
			JsonNode grid = panel.path("gridPos");
			assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as("\"%s\" fits 24 columns", title)
				.isLessThanOrEqualTo(24);
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void theProvisioningFilesNameTheDataSourceAndTheFolderComposeMounts() {
		Map<String, Object> datasources = DeployFolder
			.yamlMap(DeployFolder.deploy("grafana/provisioning/datasources/prometheus.yaml"));
		List<Map<String, Object>> list = (List<Map<String, Object>>) datasources.get("datasources");
		assertThat(list).singleElement().satisfies((source) -> {
			assertThat(source).containsEntry("type", "prometheus").containsEntry("url", "http://prometheus:9090");
			assertThat(source.get("uid")).isNotNull();
		});
		Map<String, Object> providers = DeployFolder
			.yamlMap(DeployFolder.deploy("grafana/provisioning/dashboards/servinglayer.yaml"));
		Map<String, Object> provider = ((List<Map<String, Object>>) providers.get("providers")).get(0);
		String path = (String) ((Map<String, Object>) provider.get("options")).get("path");
		Map<String, Object> grafana = (Map<String, Object>) ((Map<String, Object>) DeployFolder
			.yamlMap(DeployFolder.deploy("compose/compose.yaml"))
			.get("services")).get("grafana");
		assertThat((List<String>) grafana.get("volumes")).contains("../grafana/dashboards:" + path + ":ro",
				"../grafana/provisioning:/etc/grafana/provisioning:ro");
	}

	private static void assertUsable(JsonNode datasource, Set<String> dataSourceVariables, String where) {
		assertThat(datasource.path("type").asText()).as("data source type of %s", where).isEqualTo("prometheus");
		String uid = datasource.path("uid").asText();
		assertThat(uid).as("data source of %s: a data source variable of the dashboard", where)
			.isIn(dataSourceVariables);
	}

}
