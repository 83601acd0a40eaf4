package io.servinglayer.controlplane.slo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where a deployment stands against each of its objectives, per version serving now.
 *
 * @param observedAt when the numbers were read
 */
public record SloStatus(String deployment, Instant observedAt, List<ObjectiveStatus> objectives) {

	/** One objective, for each version the deployment routes to. */
	public record ObjectiveStatus(String name, String sli, double objective, String window,
			List<VersionStatus> versions) {
	}

	/**
	 * One version against one objective.
	 *
	 * @param role {@code stable}, {@code canary} or {@code shadow}
	 * @param measured whether the control plane measures this SLI (freshness is measured
	 * by the instances' Prometheus histogram {@code features_freshness_seconds}, and only
	 * the generated alert rules judge it)
	 * @param requests the requests counted over the window
	 * @param sli the share of good requests over the window; {@code null} without
	 * requests
	 * @param errorBudgetRemaining the share of the window's error budget left (below 0
	 * when overspent); {@code null} without requests
	 * @param errorBudgetRemainingMinutes the budget left, as minutes of full outage over
	 * the window
	 * @param burnRates how fast the budget burns over the last 5m, 30m, 1h, 6h and 3d (1
	 * = exactly as fast as the objective allows); a window without requests is left out
	 */
	public record VersionStatus(int version, String role, boolean measured, long requests, Double sli,
			Double errorBudgetRemaining, Double errorBudgetRemainingMinutes, Map<String, Double> burnRates) {
	}

}
