package io.servinglayer.controlplane.slo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Writes deployments' SLOs as a Prometheus rule file: per objective, recording rules of
 * its error ratio over the windows the alerts need, and the multiwindow, multi-burn-rate
 * alerts of the Google SRE workbook ("Alerting on SLOs"): a page when the error budget
 * burns more than 14.4 times its rate over 1h and 5m, or 6 times over 6h and 30m; a
 * ticket when more than 3 times over 1d and 2h, or once over 3d and 6h. The short window
 * makes an alert stop soon after the errors do.
 * <p>
 * The series it reads are what the services export through Micrometer's Prometheus
 * registry: the gateway's {@code gateway.model.requests} timer (labels {@code model} =
 * the deployment, {@code version}, {@code outcome}) and the inference instances'
 * {@code features.freshness} summary (labels {@code model} = the deployment,
 * {@code model_version}). Both have explicit buckets only at their SLO bounds, which is
 * why a threshold must be one of them: the good events are then a bucket's count, not an
 * estimate.
 */
final class PrometheusRules {

	/**
	 * Every alert has this name; {@code severity}, {@code deployment} and {@code slo}
	 * tell them apart.
	 */
	static final String ALERT = "SloErrorBudgetBurn";

	/**
	 * The recorded error ratio over a window: {@code slo:sli_error:ratio_rate<window>}.
	 */
	static final String ERROR_RATIO = "slo:sli_error:ratio_rate";

	/** The windows the burn-rate alerts read, shortest first. */
	static final List<String> WINDOWS = List.of("5m", "30m", "1h", "2h", "6h", "1d", "3d");

	private static final List<BurnRate> PAGE = List.of(new BurnRate("14.4", "1h", "5m"),
			new BurnRate("6", "6h", "30m"));

	private static final List<BurnRate> TICKET = List.of(new BurnRate("3", "1d", "2h"), new BurnRate("1", "3d", "6h"));

	private static final String REQUESTS = "gateway_model_requests_seconds";

	private static final String FRESHNESS = "features_freshness_seconds";

	private PrometheusRules() {
	}

	/**
	 * The rule file, one group per objective, deployments and objectives in the order
	 * given.
	 */
	static String yaml(List<DeploymentSlos> slos) {
		List<Object> groups = new ArrayList<>();
		for (DeploymentSlos deployment : slos) {
			for (Objective objective : deployment.objectives()) {
				groups.add(group(deployment.deployment(), objective));
			}
		}
		Map<String, Object> file = new LinkedHashMap<>();
		file.put("groups", groups);
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		options.setIndent(2);
		options.setIndicatorIndent(0);
		options.setSplitLines(false);
		options.setWidth(Integer.MAX_VALUE);
		return new Yaml(new LiteralBlocks(options), options).dump(file);
	}

	private static Map<String, Object> group(String deployment, Objective objective) {
		List<Object> rules = new ArrayList<>();
		Map<String, String> labels = map("deployment", deployment, "slo", objective.name());
		List<String> windows = new ArrayList<>(WINDOWS);
		if (!windows.contains(objective.window())) {
			windows.add(objective.window());
		}
		for (String window : windows) {
			rules.add(rule("record", ERROR_RATIO + window, errorRatio(deployment, objective, window), labels, null));
		}
		BigDecimal budget = BigDecimal.ONE.subtract(new BigDecimal(objective.objective().toString()));
		rules.add(rule("record", "slo:objective:ratio", "vector(" + plain(objective.objective().toString()) + ")",
				labels, null));
		rules.add(rule("record", "slo:error_budget_remaining:ratio",
				"1 - (" + ERROR_RATIO + objective.window() + selector(labels) + " / " + plain(budget) + ")", labels,
				null));
		rules.add(alert(deployment, objective, budget, "page", PAGE));
		rules.add(alert(deployment, objective, budget, "ticket", TICKET));
		Map<String, Object> group = new LinkedHashMap<>();
		// '/' is in no deployment or objective name, so no two groups share a name.
		group.put("name", "slo/" + deployment + "/" + objective.name());
		group.put("rules", rules);
		return group;
	}

	/**
	 * The share of bad events over {@code window}. A client that closed its connection
	 * got no answer, good or bad, and counts in neither part. Where no error series
	 * exists yet (Micrometer makes one per outcome at its first request), the errors are
	 * 0; with no requests the ratio is NaN (or absent, before the first), which no alert
	 * fires on.
	 */
	static String errorRatio(String deployment, Objective objective, String window) {
		String model = "model=\"" + deployment + "\"";
		return switch (objective.sli()) {
			case Objective.AVAILABILITY -> "(sum(rate(" + REQUESTS + "_count{" + model
					+ ",outcome=~\"server_error|timeout\"}[" + window + "])) or vector(0))\n/\nsum(rate(" + REQUESTS
					+ "_count{" + model + ",outcome!=\"client_closed\"}[" + window + "]))";
			case Objective.LATENCY ->
				"1 - (\n  sum(rate(" + REQUESTS + "_bucket{" + model + ",outcome!=\"client_closed\",le=\""
						+ le(objective.thresholdMs() / 1000.0) + "\"}[" + window + "]))\n  /\n  sum(rate(" + REQUESTS
						+ "_count{" + model + ",outcome!=\"client_closed\"}[" + window + "]))\n)";
			case Objective.FRESHNESS -> "1 - (\n  sum(rate(" + FRESHNESS + "_bucket{" + model + ",le=\""
					+ le(objective.maxAgeSeconds()) + "\"}[" + window + "]))\n  /\n  sum(rate(" + FRESHNESS + "_count{"
					+ model + "}[" + window + "]))\n)";
			default -> throw new IllegalArgumentException("unknown sli '" + objective.sli() + "'");
		};
	}

	/**
	 * A bucket's {@code le} label as Micrometer's Prometheus registry writes it: the
	 * bound in the base unit (seconds), printed by the Prometheus client's text format
	 * writer with {@link Double#toString(double)} (prometheus-metrics 1.x,
	 * {@code TextFormatUtil.writeDouble}). So 50 ms is {@code "0.05"}, 1000 ms
	 * {@code "1.0"} and 300 s {@code "300.0"}; PromQL compares label values as strings,
	 * so {@code "300"} would match nothing. {@code PrometheusRulesTests} checks this
	 * against the registry itself.
	 */
	static String le(double bound) {
		return Double.toString(bound);
	}

	private static Map<String, Object> alert(String deployment, Objective objective, BigDecimal budget, String severity,
			List<BurnRate> burnRates) {
		Map<String, String> labels = map("deployment", deployment, "slo", objective.name());
		List<String> conditions = new ArrayList<>();
		for (BurnRate burnRate : burnRates) {
			String threshold = plain(budget.multiply(new BigDecimal(burnRate.factor())));
			conditions.add(
					"(\n  " + ERROR_RATIO + burnRate.longWindow() + selector(labels) + " > " + threshold + "\n  and\n  "
							+ ERROR_RATIO + burnRate.shortWindow() + selector(labels) + " > " + threshold + "\n)");
		}
		Map<String, String> alertLabels = new LinkedHashMap<>();
		alertLabels.put("severity", severity);
		alertLabels.putAll(labels);
		BurnRate first = burnRates.get(0);
		BurnRate second = burnRates.get(1);
		String summary = "Deployment " + deployment + " burns the error budget of its SLO " + objective.name()
				+ ("page".equals(severity) ? " fast" : " steadily");
		String description = "The share of " + bad(objective) + " is {{ $value | humanizePercentage }} over the last "
				+ first.longWindow() + " or " + second.longWindow() + ", against an objective of "
				+ percent(objective.objective()) + " good over " + objective.window() + ": more than " + first.factor()
				+ "x the error budget over " + first.longWindow() + " and " + first.shortWindow() + ", or "
				+ second.factor() + "x over " + second.longWindow() + " and " + second.shortWindow() + ".";
		return rule("alert", ALERT, String.join("\nor\n", conditions), alertLabels,
				map("summary", summary, "description", description));
	}

	private static String bad(Objective objective) {
		return switch (objective.sli()) {
			case Objective.AVAILABILITY -> "requests answered with a server error or a timeout";
			case Objective.LATENCY -> "requests slower than " + objective.thresholdMs() + " ms";
			default -> "online feature rows older than " + objective.maxAgeSeconds() + " s when read";
		};
	}

	private static Map<String, Object> rule(String kind, String name, String expr, Map<String, String> labels,
			Map<String, String> annotations) {
		Map<String, Object> rule = new LinkedHashMap<>();
		rule.put(kind, name);
		rule.put("expr", expr);
		// Copies, so that the writer writes each rule's maps out rather than as YAML
		// aliases.
		rule.put("labels", new LinkedHashMap<>(labels));
		if (annotations != null) {
			rule.put("annotations", new LinkedHashMap<>(annotations));
		}
		return rule;
	}

	private static String selector(Map<String, String> labels) {
		List<String> matchers = new ArrayList<>();
		labels.forEach((name, value) -> matchers.add(name + "=\"" + value + "\""));
		return "{" + String.join(",", matchers) + "}";
	}

	private static Map<String, String> map(String key1, String value1, String key2, String value2) {
		Map<String, String> map = new LinkedHashMap<>();
		map.put(key1, value1);
		map.put(key2, value2);
		return map;
	}

	private static String plain(BigDecimal value) {
		return value.stripTrailingZeros().toPlainString();
	}

	private static String plain(String decimal) {
		return plain(new BigDecimal(decimal));
	}

	private static String percent(double share) {
		return plain(new BigDecimal(Double.toString(share)).movePointRight(2)) + " %";
	}

	/** An alert condition: burning faster than {@code factor} over both windows. */
	private record BurnRate(String factor, String longWindow, String shortWindow) {
	}

	/** Writes a multi-line string (a PromQL expression) as a literal block. */
	private static final class LiteralBlocks extends Representer {

		LiteralBlocks(DumperOptions options) {
			super(options);
			this.representers.put(String.class, (data) -> {
				String text = (String) data;
				return text.contains("\n") ? representScalar(Tag.STR, text, DumperOptions.ScalarStyle.LITERAL)
						: representScalar(Tag.STR, text);
			});
		}

	}

}
