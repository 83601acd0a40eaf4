package io.servinglayer.controlplane.rollout;

import java.util.List;

import io.servinglayer.controlplane.system.Violations;

/**
 * A rollout as {@code POST /api/v1/deployments/{name}/rollouts} takes it.
 *
 * @param version the canary version to roll out
 * @param steps the canary's weight at each step, in basis points (1 = 0.01 %), ascending
 * @param stepIntervalSeconds how long each step lasts before it is judged (60 when left
 * out)
 * @param analysis what the canary must show at each step
 */
public record RolloutRequest(Integer version, List<Integer> steps, Integer stepIntervalSeconds,
		CanaryAnalysis analysis) {

	static final int MAX_STEPS = 20;

	RolloutRequest withDefaults() {
		return new RolloutRequest(this.version, this.steps,
				(this.stepIntervalSeconds != null) ? this.stepIntervalSeconds : 60,
				((this.analysis != null) ? this.analysis : CanaryAnalysis.DEFAULTS).withDefaults());
	}

	void validate(Violations violations) {
		violations.require(this.version != null && this.version > 0, "version",
				"must be the number of a registered version of the deployment's model");
		if (this.steps == null || this.steps.isEmpty() || this.steps.size() > MAX_STEPS) {
			violations.add("steps",
					"must list 1 to " + MAX_STEPS + " weights in basis points, such as [100, 1000, 5000]");
		}
		else {
			for (int i = 0; i < this.steps.size(); i++) {
				Integer weight = this.steps.get(i);
				if (weight == null || weight < 1 || weight > 10_000) {
					violations.add("steps[" + i + "]", "must be between 1 and 10000 basis points");
				}
				else if (i > 0 && this.steps.get(i - 1) != null && weight <= this.steps.get(i - 1)) {
					violations.add("steps[" + i + "]", "must be larger than the step before it");
				}
			}
		}
		violations.require(this.stepIntervalSeconds >= 1 && this.stepIntervalSeconds <= 3600, "stepIntervalSeconds",
				"must be between 1 and 3600 seconds");
		this.analysis.validate(violations);
	}

}
