package io.servinglayer.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.servinglayer.testsupport.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/prometheus} as promtool sees it: the compose stack's configuration, the
 * alert rules, and the rules' unit tests on synthetic series ({@code alerts-test.yaml}).
 * promtool comes with Debian's {@code prometheus} package ({@code .ci/run} installs it);
 * without it these tests fail, they are not skipped.
 */
class PrometheusConfigurationTests {

	@Test
	void theComposeStacksConfigurationPassesPromtool() throws Exception {
		Promtool.Result check = Promtool.run(DeployFolder.deploy("prometheus"), "check", "config", "prometheus.yml");
		assertThat(check.exitCode()).as(check.output()).isZero();
		assertThat(check.output()).contains("SUCCESS").contains("1 rule files found");
	}

	@Test
	void theAlertRulesPassPromtool() throws Exception {
		Promtool.Result check = Promtool.run(DeployFolder.deploy("prometheus"), "check", "rules", "alerts.yaml");
		assertThat(check.exitCode()).as(check.output()).isZero();
		assertThat(check.output()).contains("SUCCESS");
	}

	@Test
	void theAlertsFireOnTheirSyntheticSeriesAndOnlyThere() throws Exception {
		Promtool.Result test = Promtool.run(DeployFolder.deploy("prometheus"), "test", "rules", "alerts-test.yaml");
		assertThat(test.exitCode()).as(test.output()).isZero();
		assertThat(test.output()).contains("SUCCESS");
	}

	@Test
	void aBrokenAlertIsCaught(@TempDir Path folder) throws Exception {
		// The same check on a rule whose expression does not parse: promtool must say so,
		// or the checks above prove nothing.
		Files.writeString(folder.resolve("broken.yaml"), """
				groups:
				  - name: broken
				    rules:
				      - alert: Broken
				        expr: sum by (instance (inference_queue_depth) > 1
				""");
		Promtool.Result check = Promtool.run(folder, "check", "rules", "broken.yaml");
		assertThat(check.exitCode()).as(check.output()).isNotZero();
	}

	/**
	 * The Kubernetes configuration uses kubernetes_sd_configs, which Debian's promtool is
	 * built without ("field kubernetes_sd_configs not found"), so it is checked here by
	 * its structure: the rules it loads exist, and each series gets the namespace and pod
	 * labels the Prometheus adapter's rule needs and the job label the alerts use.
	 */
	@Test
	@SuppressWarnings("unchecked")
	void theKubernetesConfigurationLabelsSeriesAsTheAdapterAndTheAlertsExpect() {
		Map<String, Object> config = DeployFolder.yamlMap(DeployFolder.deploy("prometheus/prometheus-kubernetes.yml"));
		assertThat((List<String>) config.get("rule_files")).contains("alerts.yaml");
		List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
		assertThat(jobs).hasSize(1);
		List<Map<String, Object>> relabels = (List<Map<String, Object>>) jobs.get(0).get("relabel_configs");
		assertThat(relabels).extracting((relabel) -> relabel.get("target_label"))
			.contains("__metrics_path__", "__address__", "job", "namespace", "pod");
		assertThat(relabels).anySatisfy((relabel) -> {
			assertThat(relabel.get("source_labels"))
				.isEqualTo(List.of("__meta_kubernetes_pod_label_app_kubernetes_io_name"));
			assertThat(relabel.get("target_label")).isEqualTo("job");
		});
	}

}
