package io.servinglayer.controlplane.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.servinglayer.controlplane.outcomes.OutcomeCounts;
import io.servinglayer.controlplane.system.Violations;

/**
 * What a canary must show at each step to go on, compared with the stable version over
 * the same window. Thresholds left out are not checked, except {@code minRequests} (100)
 * and {@code maxErrorRate} (0.01).
 *
 * @param minRequests the canary requests a step needs before it is judged; fewer extend
 * the step
 * @param maxErrorRate the largest share of the canary's requests that may fail (5xx and
 * timeouts)
 * @param maxP99Ms the slowest p99 latency the canary may have
 * @param maxP99RatioToStable the most the canary's p99 may exceed the stable version's,
 * as a ratio (checked when the stable version had {@code minRequests} too)
 * @param maxBurnRate the fastest the canary may burn any of the deployment's SLO error
 * budgets (1 = exactly as fast as the objective allows)
 */
public record CanaryAnalysis(Integer minRequests, Double maxErrorRate, Double maxP99Ms, Double maxP99RatioToStable,
		Double maxBurnRate) {

	static final CanaryAnalysis DEFAULTS = new CanaryAnalysis(100, 0.01, null, null, null);

	CanaryAnalysis withDefaults() {
		return new CanaryAnalysis((this.minRequests != null) ? this.minRequests : DEFAULTS.minRequests,
				(this.maxErrorRate != null) ? this.maxErrorRate : DEFAULTS.maxErrorRate, this.maxP99Ms,
				this.maxP99RatioToStable, this.maxBurnRate);
	}

	void validate(Violations violations) {
		violations
			.require(this.minRequests >= 1 && this.minRequests <= 10_000_000, "analysis.minRequests",
					"must be between 1 and 10000000")
			.require(this.maxErrorRate >= 0 && this.maxErrorRate <= 1, "analysis.maxErrorRate",
					"must be a share between 0 and 1")
			.require(this.maxP99Ms == null || this.maxP99Ms > 0, "analysis.maxP99Ms", "must be positive")
			.require(this.maxP99RatioToStable == null || this.maxP99RatioToStable >= 1, "analysis.maxP99RatioToStable",
					"must be at least 1")
			.require(this.maxBurnRate == null || this.maxBurnRate > 0, "analysis.maxBurnRate", "must be positive");
	}

	/**
	 * Whether the canary's numbers over a window breach a threshold; the reasons when
	 * they do. Judged only once the canary has {@code minRequests}.
	 */
	List<String> breaches(OutcomeCounts canary, Double canaryP99, OutcomeCounts stable, Double stableP99,
			Double burnRate) {
		List<String> breaches = new ArrayList<>();
		if (canary.errorRate() > this.maxErrorRate) {
			breaches.add(String.format(Locale.ROOT, "error rate %.4f is above maxErrorRate %s", canary.errorRate(),
					this.maxErrorRate));
		}
		if (this.maxP99Ms != null && canaryP99 != null && canaryP99 > this.maxP99Ms) {
			breaches.add(String.format(Locale.ROOT, "p99 %.1f ms is above maxP99Ms %s", canaryP99, this.maxP99Ms));
		}
		if (this.maxP99RatioToStable != null && canaryP99 != null && stableP99 != null
				&& stable.requests() >= this.minRequests && canaryP99 > stableP99 * this.maxP99RatioToStable) {
			breaches.add(String.format(Locale.ROOT, "p99 %.1f ms is more than %s times the stable version's %.1f ms",
					canaryP99, this.maxP99RatioToStable, stableP99));
		}
		if (this.maxBurnRate != null && burnRate != null && burnRate > this.maxBurnRate) {
			breaches.add(String.format(Locale.ROOT, "SLO burn rate %.2f is above maxBurnRate %s", burnRate,
					this.maxBurnRate));
		}
		return breaches;
	}

}
