package io.servinglayer.controlplane.slo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.servinglayer.controlplane.deployment.DeploymentService;
import io.servinglayer.controlplane.deployment.DeploymentSpec;
import io.servinglayer.controlplane.outcomes.OutcomeCounts;
import io.servinglayer.controlplane.outcomes.OutcomeHistory;

import org.springframework.stereotype.Component;

/**
 * Computes SLO status from the gateways' outcome counters: the SLI and the budget left
 * over the objective's window (rolled-up minutes in PostgreSQL, the last minute from
 * Redis), and burn rates over the SRE workbook's alerting windows.
 */
@Component
public class SloStatuses {

	/** The windows burn rates are given over, as the workbook's alerts pair them. */
	static final Map<String, Duration> BURN_WINDOWS = burnWindows();

	private final Slos slos;

	private final DeploymentService deployments;

	private final OutcomeHistory outcomes;

	private final Clock clock;

	SloStatuses(Slos slos, DeploymentService deployments, OutcomeHistory outcomes, Clock clock) {
		this.slos = slos;
		this.deployments = deployments;
		this.outcomes = outcomes;
		this.clock = clock;
	}

	private static Map<String, Duration> burnWindows() {
		Map<String, Duration> windows = new LinkedHashMap<>();
		windows.put("5m", Duration.ofMinutes(5));
		windows.put("30m", Duration.ofMinutes(30));
		windows.put("1h", Duration.ofHours(1));
		windows.put("6h", Duration.ofHours(6));
		windows.put("3d", Duration.ofDays(3));
		return windows;
	}

	/** The deployment's status; no objectives when it has no SLOs. */
	public SloStatus of(String deployment) {
		DeploymentSpec spec = this.deployments.get(deployment).spec();
		List<Objective> objectives = this.slos.find(deployment).map(DeploymentSlos::objectives).orElse(List.of());
		Instant now = this.clock.instant();
		Map<String, OutcomeCounts> memo = new LinkedHashMap<>();
		List<SloStatus.ObjectiveStatus> statuses = new ArrayList<>();
		for (Objective objective : objectives) {
			List<SloStatus.VersionStatus> versions = new ArrayList<>();
			for (int version : spec.versions()) {
				versions.add(versionStatus(deployment, version, spec.roleOf(version), objective, now, memo));
			}
			statuses.add(new SloStatus.ObjectiveStatus(objective.name(), objective.sli(), objective.objective(),
					objective.window(), versions));
		}
		return new SloStatus(deployment, now, statuses);
	}

	/**
	 * The error budget of each availability and latency objective at {@code points}
	 * evenly spaced moments over its last window, each over the window that ends there,
	 * for the versions routed to now.
	 */
	public SloHistory history(String deployment, int points) {
		DeploymentSpec spec = this.deployments.get(deployment).spec();
		List<Objective> objectives = this.slos.find(deployment).map(DeploymentSlos::objectives).orElse(List.of());
		Instant now = this.clock.instant();
		List<Integer> bounds = this.outcomes.latencyBoundsMs();
		Instant rolledUpTo = this.outcomes.rolledUpTo().orElse(null);
		List<SloHistory.ObjectiveHistory> histories = new ArrayList<>();
		for (Objective objective : objectives) {
			if (!Objective.AVAILABILITY.equals(objective.sli()) && !Objective.LATENCY.equals(objective.sli())) {
				continue;
			}
			Duration window = objective.windowDuration();
			double allowed = 1 - objective.objective();
			List<SloHistory.VersionHistory> versions = new ArrayList<>();
			for (int version : spec.versions()) {
				List<SloHistory.BudgetPoint> series = new ArrayList<>();
				for (int i = 0; i < points; i++) {
					Instant at = now.minus(window.multipliedBy(points - 1 - i).dividedBy(points - 1));
					OutcomeCounts counts = this.outcomes.over(deployment, version, at.minus(window), at, rolledUpTo);
					Double bad = SloBurn.badShare(objective, counts, bounds);
					series.add(new SloHistory.BudgetPoint(at, counts.requests(),
							(bad != null) ? 1 - bad / allowed : null));
				}
				versions.add(new SloHistory.VersionHistory(version, spec.roleOf(version), series));
			}
			histories.add(new SloHistory.ObjectiveHistory(objective.name(), objective.sli(), objective.objective(),
					objective.window(), versions));
		}
		return new SloHistory(deployment, now, histories);
	}

	private SloStatus.VersionStatus versionStatus(String deployment, int version, String role, Objective objective,
			Instant now, Map<String, OutcomeCounts> memo) {
		List<Integer> bounds = this.outcomes.latencyBoundsMs();
		Duration window = objective.windowDuration();
		OutcomeCounts overWindow = counts(deployment, version, window, now, memo);
		Double bad = SloBurn.badShare(objective, overWindow, bounds);
		if (!Objective.AVAILABILITY.equals(objective.sli()) && !Objective.LATENCY.equals(objective.sli())) {
			return new SloStatus.VersionStatus(version, role, false, overWindow.requests(), null, null, null, Map.of());
		}
		double allowed = 1 - objective.objective();
		Double remaining = (bad != null) ? 1 - bad / allowed : null;
		Double remainingMinutes = (remaining != null) ? remaining * allowed * window.toMinutes() : null;
		Map<String, Double> burnRates = new LinkedHashMap<>();
		BURN_WINDOWS.forEach((name, length) -> {
			Double rate = SloBurn.rate(objective, counts(deployment, version, length, now, memo), bounds);
			if (rate != null) {
				burnRates.put(name, rate);
			}
		});
		return new SloStatus.VersionStatus(version, role, true, overWindow.requests(), (bad != null) ? 1 - bad : null,
				remaining, remainingMinutes, burnRates);
	}

	private OutcomeCounts counts(String deployment, int version, Duration window, Instant now,
			Map<String, OutcomeCounts> memo) {
		return memo.computeIfAbsent(version + "/" + window,
				(key) -> this.outcomes.over(deployment, version, now.minus(window), now));
	}

}
