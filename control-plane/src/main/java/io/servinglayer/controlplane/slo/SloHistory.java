package io.servinglayer.controlplane.slo;

import java.time.Instant;
import java.util.List;

/**
 * How the error budget of each availability and latency objective stood over its last
 * window, for the versions routed to now: what the SLO status would have said at evenly
 * spaced moments.
 *
 * @param observedAt the last moment of the series
 */
public record SloHistory(String deployment, Instant observedAt, List<ObjectiveHistory> objectives) {

	public record ObjectiveHistory(String name, String sli, double objective, String window,
			List<VersionHistory> versions) {
	}

	public record VersionHistory(int version, String role, List<BudgetPoint> points) {
	}

	/**
	 * @param requests the requests in the window that ends at {@code at}
	 * @param errorBudgetRemaining the share of that window's budget left (below 0 when
	 * overspent), {@code null} when the window held no request
	 */
	public record BudgetPoint(Instant at, long requests, Double errorBudgetRemaining) {
	}

}
