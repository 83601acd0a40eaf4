package io.servinglayer.controlplane.traffic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.servinglayer.controlplane.deployment.DeploymentService;
import io.servinglayer.controlplane.deployment.DeploymentSpec;
import io.servinglayer.controlplane.outcomes.OutcomeCounts;
import io.servinglayer.controlplane.outcomes.OutcomeHistory;

import org.springframework.stereotype.Component;

/**
 * Reads a deployment's traffic per version over a recent window from the gateways'
 * outcome counters, the same ones the rollout driver and the SLO status read: Redis's
 * buckets over the hours it keeps them, the minutes rolled up into PostgreSQL before.
 */
@Component
class TrafficHistories {

	private final DeploymentService deployments;

	private final OutcomeHistory outcomes;

	private final Clock clock;

	TrafficHistories(DeploymentService deployments, OutcomeHistory outcomes, Clock clock) {
		this.deployments = deployments;
		this.outcomes = outcomes;
		this.clock = clock;
	}

	/**
	 * The traffic of each version the deployment routes to now, over at least the last
	 * {@code window}, in at most {@code points} intervals.
	 * @throws io.servinglayer.controlplane.deployment.DeploymentNotFoundException when
	 * there is no such deployment
	 */
	TrafficHistory of(String deployment, Duration window, int points) {
		DeploymentSpec spec = this.deployments.get(deployment).spec();
		Instant now = this.clock.instant();
		OutcomeHistory.Grid grid = this.outcomes.grid(window, points, now);
		List<Integer> bounds = this.outcomes.latencyBoundsMs();
		double seconds = grid.step().toSeconds();
		List<TrafficHistory.VersionTraffic> versions = new ArrayList<>();
		for (int version : spec.versions()) {
			List<OutcomeCounts> series = this.outcomes.series(deployment, version, grid);
			List<TrafficHistory.TrafficPoint> traffic = new ArrayList<>(series.size());
			for (int i = 0; i < series.size(); i++) {
				OutcomeCounts counts = series.get(i);
				traffic.add(new TrafficHistory.TrafficPoint(grid.start().plus(grid.step().multipliedBy(i)),
						counts.requests(), counts.errors(), counts.timeouts(), counts.requests() / seconds,
						(counts.requests() > 0) ? counts.errorRate() : null,
						(counts.requests() > 0) ? counts.quantileMs(0.99, bounds) : null));
			}
			versions.add(new TrafficHistory.VersionTraffic(version, spec.roleOf(version), traffic));
		}
		return new TrafficHistory(deployment, grid.start(), grid.end(), grid.step().toSeconds(), bounds, versions);
	}

}
