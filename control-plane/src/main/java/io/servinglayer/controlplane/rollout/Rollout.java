package io.servinglayer.controlplane.rollout;

import java.time.Instant;
import java.util.List;

/**
 * A rollout as stored: the plan, and where it stands.
 *
 * @param currentStep index into the plan's steps of the weight applied now; -1 before the
 * first
 * @param stepExtensions how many times the current step was extended for lack of traffic
 * @param keepWarmUntil after promotion, until when the old stable version stays on the
 * deployment at weight 0
 */
record Rollout(long id, String deployment, int version, int stableVersion, RolloutRequest plan, RolloutState state,
		int currentStep, Instant stepStartedAt, int stepExtensions, String reason, Instant keepWarmUntil,
		String createdBy, Instant createdAt, Instant updatedAt, Instant finishedAt) {

	/** The canary's weight now, in basis points. */
	int currentWeight() {
		return (this.currentStep >= 0) ? this.plan.steps().get(this.currentStep) : 0;
	}

	/** This rollout with the old stable version kept warm until {@code until}. */
	Rollout keptWarmUntil(Instant until) {
		return new Rollout(this.id, this.deployment, this.version, this.stableVersion, this.plan, this.state,
				this.currentStep, this.stepStartedAt, this.stepExtensions, this.reason, until, this.createdBy,
				this.createdAt, this.updatedAt, this.finishedAt);
	}

	boolean lastStep() {
		return this.currentStep == this.plan.steps().size() - 1;
	}

	/** A rollout as the API answers it. */
	record View(long id, String deployment, int version, int stableVersion, RolloutState state, int currentStep,
			int currentWeight, List<Integer> steps, int stepIntervalSeconds, CanaryAnalysis analysis, String reason,
			Instant stepStartedAt, int stepExtensions, String createdBy, Instant createdAt, Instant updatedAt,
			Instant finishedAt, List<RolloutDecision> decisions) {
	}

	View view(List<RolloutDecision> decisions) {
		return new View(this.id, this.deployment, this.version, this.stableVersion, this.state, this.currentStep,
				currentWeight(), this.plan.steps(), this.plan.stepIntervalSeconds(), this.plan.analysis(), this.reason,
				this.stepStartedAt, this.stepExtensions, this.createdBy, this.createdAt, this.updatedAt,
				this.finishedAt, decisions);
	}

}
