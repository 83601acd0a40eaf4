package io.servinglayer.controlplane.slo;

import java.util.List;

import io.servinglayer.controlplane.outcomes.OutcomeCounts;
import io.servinglayer.controlplane.outcomes.OutcomeHistory;

import org.springframework.stereotype.Component;

/**
 * How fast a version's requests burn a deployment's error budgets: the share of bad
 * requests divided by the share the objective allows (1 spends the budget exactly over
 * the objective's window; 14.4 spends a 30-day budget's 2 % in an hour).
 */
@Component
public class SloBurn {

	private final Slos slos;

	private final OutcomeHistory outcomes;

	SloBurn(Slos slos, OutcomeHistory outcomes) {
		this.slos = slos;
		this.outcomes = outcomes;
	}

	/**
	 * The fastest burn of any of the deployment's availability and latency objectives by
	 * these requests; {@code null} without such objectives or without requests.
	 */
	public Double fastest(String deployment, OutcomeCounts counts) {
		if (counts.requests() == 0) {
			return null;
		}
		return this.slos.find(deployment)
			.map((slos) -> slos.objectives()
				.stream()
				.map((objective) -> rate(objective, counts, this.outcomes.latencyBoundsMs()))
				.filter((rate) -> rate != null)
				.max(Double::compare)
				.orElse(null))
			.orElse(null);
	}

	/** The burn rate of one objective, {@code null} for one not measured by outcomes. */
	static Double rate(Objective objective, OutcomeCounts counts, List<Integer> bounds) {
		Double bad = badShare(objective, counts, bounds);
		return (bad != null) ? bad / (1 - objective.objective()) : null;
	}

	/**
	 * The share of requests that missed the objective, {@code null} when not measured.
	 */
	static Double badShare(Objective objective, OutcomeCounts counts, List<Integer> bounds) {
		if (counts.requests() == 0) {
			return null;
		}
		return switch (objective.sli()) {
			case "availability" -> counts.errorRate();
			case "latency" -> 1 - (double) counts.within(objective.thresholdMs(), bounds) / counts.requests();
			default -> null;
		};
	}

}
