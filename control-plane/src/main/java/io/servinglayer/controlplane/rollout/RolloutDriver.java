package io.servinglayer.controlplane.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.servinglayer.controlplane.deploymentstatus.DeploymentStatus;
import io.servinglayer.controlplane.deploymentstatus.DeploymentStatuses;
import io.servinglayer.controlplane.leader.LeaderLease;
import io.servinglayer.controlplane.outcomes.OutcomeCounts;
import io.servinglayer.controlplane.outcomes.OutcomeHistory;
import io.servinglayer.controlplane.slo.SloBurn;
import io.servinglayer.controlplane.system.CurrentActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The control loop: on the leader, every tick, moves each rollout that has not ended. A
 * pending rollout gets its first step's weight once the canary is warm; a progressing one
 * is judged against the stable version over its step's window and raised to the next
 * step, promoted after the last, held when it has too little traffic, or rolled back at
 * once on a breach. Each rollout is handled in its own transaction that checks the lease,
 * so a former leader's late tick changes nothing.
 */
@Component
class RolloutDriver {

	static final String ACTOR = "system:rollouts";

	private static final Logger logger = LoggerFactory.getLogger(RolloutDriver.class);

	/** The longest window a step is judged over; Redis keeps the buckets for longer. */
	private static final Duration LONGEST_WINDOW = Duration.ofHours(1);

	private final RolloutRepository rollouts;

	private final RolloutService service;

	private final OutcomeHistory outcomes;

	private final DeploymentStatuses statuses;

	private final SloBurn burn;

	private final LeaderLease lease;

	private final CurrentActor actor;

	private final TransactionTemplate transactions;

	private final RolloutProperties properties;

	RolloutDriver(RolloutRepository rollouts, RolloutService service, OutcomeHistory outcomes,
			DeploymentStatuses statuses, SloBurn burn, LeaderLease lease, CurrentActor actor,
			TransactionTemplate transactions, RolloutProperties properties) {
		this.rollouts = rollouts;
		this.service = service;
		this.outcomes = outcomes;
		this.statuses = statuses;
		this.burn = burn;
		this.lease = lease;
		this.actor = actor;
		this.transactions = transactions;
		this.properties = properties;
	}

	@Scheduled(fixedDelayString = "${servinglayer.control-plane.rollouts.tick:1s}")
	void tick() {
		if (!this.lease.isLeader()) {
			return;
		}
		for (Rollout rollout : this.rollouts.active()) {
			try {
				drive(rollout.deployment(), rollout.id());
			}
			catch (RuntimeException ex) {
				// Redis or an instance status may be out for a moment: the next tick
				// tries
				// again, from the state stored.
				logger.warn("Could not move rollout {} of '{}' on this tick: {}", rollout.id(), rollout.deployment(),
						ex.getMessage());
			}
		}
		for (Rollout promoted : this.rollouts.warmTimeOver(this.service.now())) {
			try {
				this.transactions.executeWithoutResult((status) -> {
					if (this.lease.holdsIn()) {
						this.actor.as(ACTOR, () -> {
							this.service.dropKeptVersion(promoted);
							return null;
						});
					}
				});
			}
			catch (RuntimeException ex) {
				logger.warn("Could not drop the version kept warm after rollout {}: {}", promoted.id(),
						ex.getMessage());
			}
		}
	}

	/** One rollout's turn, in its own transaction, as the leader. */
	void drive(String deployment, long id) {
		this.transactions.executeWithoutResult((status) -> {
			if (!this.lease.holdsIn()) {
				return;
			}
			Rollout rollout = this.rollouts.findForUpdate(deployment, id).orElse(null);
			if (rollout == null || rollout.state().isFinal()) {
				return;
			}
			this.actor.as(ACTOR, () -> {
				switch (rollout.state()) {
					case Pending -> whenPending(rollout);
					case Progressing -> whenProgressing(rollout);
					default -> {
					}
				}
				return null;
			});
		});
	}

	private void whenPending(Rollout rollout) {
		Warmth warmth = warmth(rollout);
		if (warmth.ready()) {
			this.service.advance(rollout, 0, warmth.describe(), null);
			return;
		}
		Instant now = this.service.now();
		if (now.isAfter(rollout.createdAt().plus(this.properties.warmTimeout()))) {
			this.service.end(rollout, RolloutState.RolledBack, "canary-not-warm: " + warmth.describe(), "rollback",
					null);
			return;
		}
		String reason = "waiting-for-warm: " + warmth.describe();
		if (!reason.equals(rollout.reason())) {
			this.service.transition(rollout, RolloutState.Pending, rollout.currentStep(), rollout.stepStartedAt(), 0,
					reason);
		}
	}

	private void whenProgressing(Rollout rollout) {
		Instant now = this.service.now();
		Instant from = rollout.stepStartedAt();
		if (from.isBefore(now.minus(LONGEST_WINDOW))) {
			from = now.minus(LONGEST_WINDOW);
		}
		CanaryAnalysis analysis = rollout.plan().analysis();
		List<Integer> bounds = this.outcomes.latencyBoundsMs();
		OutcomeCounts canary = this.outcomes.recent(rollout.deployment(), rollout.version(), from, now);
		OutcomeCounts stable = this.outcomes.recent(rollout.deployment(), rollout.stableVersion(), from, now);
		Double canaryP99 = canary.quantileMs(0.99, bounds);
		Double stableP99 = stable.quantileMs(0.99, bounds);
		Double burnRate = this.burn.fastest(rollout.deployment(), canary);
		RolloutService.Evidence evidence = new RolloutService.Evidence(from, now,
				new RolloutDecision.Side(canary.requests(), canary.errors(), canaryP99),
				new RolloutDecision.Side(stable.requests(), stable.errors(), stableP99), burnRate);
		boolean judged = canary.requests() >= analysis.minRequests();
		if (judged) {
			List<String> breaches = analysis.breaches(canary, canaryP99, stable, stableP99, burnRate);
			if (!breaches.isEmpty()) {
				// At once, mid-step: a bad canary takes no more traffic than it must.
				this.service.end(rollout, RolloutState.RolledBack, String.join("; ", breaches), "rollback", evidence);
				return;
			}
		}
		Duration interval = Duration.ofSeconds(rollout.plan().stepIntervalSeconds());
		Instant stepEnds = rollout.stepStartedAt().plus(interval.multipliedBy(rollout.stepExtensions() + 1L));
		if (now.isBefore(stepEnds)) {
			return;
		}
		if (!judged) {
			String shortfall = String.format(Locale.ROOT,
					"insufficient-traffic: %d of the %d canary requests a step needs", canary.requests(),
					analysis.minRequests());
			if (rollout.stepExtensions() >= this.properties.maxExtensions()) {
				Rollout paused = this.service.transition(rollout, RolloutState.Paused, rollout.currentStep(),
						rollout.stepStartedAt(), rollout.stepExtensions(), "insufficient-traffic");
				this.service.decide(paused, this.service.decision(paused, rollout.currentWeight(), "pause",
						shortfall + ", after " + rollout.stepExtensions() + " extensions", evidence));
				return;
			}
			Rollout extended = this.service.transition(rollout, RolloutState.Progressing, rollout.currentStep(),
					rollout.stepStartedAt(), rollout.stepExtensions() + 1, null);
			this.service.decide(extended,
					this.service.decision(extended, rollout.currentWeight(), "extend", shortfall, evidence));
			return;
		}
		if (rollout.lastStep()) {
			this.service.promote(rollout, "every step passed", evidence);
			return;
		}
		Warmth warmth = warmth(rollout);
		if (!warmth.ready()) {
			String reason = "waiting-for-warm: " + warmth.describe();
			if (!reason.equals(rollout.reason())) {
				this.service.transition(rollout, RolloutState.Progressing, rollout.currentStep(),
						rollout.stepStartedAt(), rollout.stepExtensions(), reason);
			}
			return;
		}
		this.service.advance(rollout, rollout.currentStep() + 1, "step " + rollout.currentStep() + " passed", evidence);
	}

	/**
	 * Whether the canary is warm on enough of the pool: on at least {@code warm-fraction}
	 * of the instances that have the stable version warm, and on one at least.
	 */
	private Warmth warmth(Rollout rollout) {
		DeploymentStatus status = this.statuses.of(rollout.deployment());
		int stableWarm = status.warmInstances(rollout.stableVersion());
		int needed = Math.max(1, (int) Math.ceil(this.properties.warmFraction() * stableWarm));
		int canaryWarm = status.warmInstances(rollout.version());
		List<String> failures = status.versions()
			.stream()
			.filter((version) -> version.version() == rollout.version())
			.flatMap((version) -> version.failureReasons().stream())
			.distinct()
			.toList();
		return new Warmth(canaryWarm, needed, status.instanceCount(), failures);
	}

	private record Warmth(int warm, int needed, int instances, List<String> failures) {

		boolean ready() {
			return this.warm >= this.needed;
		}

		String describe() {
			String text = "canary warm on " + this.warm + " of " + this.instances + " instances (" + this.needed
					+ " needed)";
			return this.failures.isEmpty() ? text : text + "; failed: " + String.join("; ", this.failures);
		}

	}

}
