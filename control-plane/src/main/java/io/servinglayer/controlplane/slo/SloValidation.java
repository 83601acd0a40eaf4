package io.servinglayer.controlplane.slo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.servinglayer.controlplane.system.Violations;

/**
 * The rules a deployment's SLOs must follow. Each broken rule names its field as
 * {@code objectives[i].field}, so the caller learns every problem from one answer.
 */
final class SloValidation {

	static final int MAX_OBJECTIVES = 20;

	private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

	private static final int MAX_DAYS = 90;

	private static final int MAX_HOURS = 2160;

	private SloValidation() {
	}

	/**
	 * Checks the objectives against the rules and the version the deployment serves now.
	 * @param served the deployment's stable version, for freshness objectives
	 */
	static Violations check(SloSpec spec, SloProperties settings, ServedVersion served) {
		Violations violations = new Violations();
		List<Objective> objectives = (spec != null) ? spec.objectives() : null;
		if (objectives == null || objectives.isEmpty() || objectives.size() > MAX_OBJECTIVES) {
			return violations.add("objectives", "must list 1 to " + MAX_OBJECTIVES + " objectives, got "
					+ ((objectives != null) ? objectives.size() : "none"));
		}
		Map<String, Integer> names = new HashMap<>();
		for (int i = 0; i < objectives.size(); i++) {
			String field = "objectives[" + i + "]";
			Objective objective = objectives.get(i);
			if (objective == null) {
				violations.add(field, "must be an objective object, not null");
				continue;
			}
			checkName(violations, field, objective.name(), names, i);
			checkObjective(violations, field, objective.objective());
			checkWindow(violations, field, objective.window());
			checkSli(violations, field, objective, settings, served);
		}
		return violations;
	}

	private static void checkName(Violations violations, String field, String name, Map<String, Integer> names,
			int index) {
		if (name == null || !NAME.matcher(name).matches()) {
			violations.add(field + ".name", "must be a DNS label: 1-63 lower-case letters, digits or '-', got "
					+ ((name != null) ? "'" + name + "'" : "none"));
			return;
		}
		Integer first = names.putIfAbsent(name, index);
		violations.require(first == null, field + ".name",
				"'" + name + "' is already the name of objectives[" + first + "]; names are unique in a deployment");
	}

	private static void checkObjective(Violations violations, String field, Double objective) {
		violations.require(objective != null && objective >= 0.5 && objective < 1, field + ".objective",
				"must be at least 0.5 and below 1, such as 0.999 for 99.9 %, got " + objective);
	}

	private static void checkWindow(Violations violations, String field, String window) {
		Matcher matcher = (window != null) ? Objective.WINDOW.matcher(window) : null;
		boolean valid = matcher != null && matcher.matches();
		if (valid) {
			int amount = Integer.parseInt(matcher.group(1));
			valid = "d".equals(matcher.group(2)) ? amount <= MAX_DAYS : amount <= MAX_HOURS;
		}
		violations.require(valid, field + ".window",
				"must be <n>d with n from 1 to " + MAX_DAYS + " or <n>h with n from 1 to " + MAX_HOURS
						+ ", such as 28d or 12h, got " + ((window != null) ? "'" + window + "'" : "none"));
	}

	private static void checkSli(Violations violations, String field, Objective objective, SloProperties settings,
			ServedVersion served) {
		String sli = objective.sli();
		if (sli == null || !Objective.SLIS.contains(sli)) {
			violations.add(field + ".sli", "must be one of " + String.join(", ", Objective.SLIS) + ", got "
					+ ((sli != null) ? "'" + sli + "'" : "none"));
			return;
		}
		boolean latency = Objective.LATENCY.equals(sli);
		boolean freshness = Objective.FRESHNESS.equals(sli);
		if (latency) {
			violations.require(
					objective.thresholdMs() != null && settings.latencyBoundsMs().contains(objective.thresholdMs()),
					field + ".thresholdMs",
					"a latency objective needs thresholdMs, one of the gateway's latency histogram bounds "
							+ settings.latencyBoundsMs() + " (so the SLI is an exact count), got "
							+ objective.thresholdMs());
		}
		else {
			violations.require(objective.thresholdMs() == null, field + ".thresholdMs",
					"belongs to latency objectives only, not " + sli);
		}
		if (freshness) {
			violations.require(
					objective.maxAgeSeconds() != null
							&& settings.freshnessBucketsSeconds().contains(objective.maxAgeSeconds()),
					field + ".maxAgeSeconds",
					"a freshness objective needs maxAgeSeconds, one of the inference instances' freshness "
							+ "histogram bounds " + settings.freshnessBucketsSeconds() + ", got "
							+ objective.maxAgeSeconds());
			violations.require(served.readsFeatureView(), field + ".sli",
					"freshness is measured on online feature reads, and version " + served.version() + " of model '"
							+ served.model() + "', which the deployment serves as stable, is bound to no feature view");
		}
		else {
			violations.require(objective.maxAgeSeconds() == null, field + ".maxAgeSeconds",
					"belongs to freshness objectives only, not " + sli);
		}
	}

	/** The version a deployment serves as stable, as far as its SLOs care. */
	record ServedVersion(String model, int version, boolean readsFeatureView) {
	}

}
