package io.servinglayer.controlplane.rollout;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.servinglayer.controlplane.audit.AuditLog;
import io.servinglayer.controlplane.deployment.Deployment;
import io.servinglayer.controlplane.deployment.DeploymentService;
import io.servinglayer.controlplane.deployment.DeploymentSpec;
import io.servinglayer.controlplane.registry.RegisteredVersions;
import io.servinglayer.controlplane.system.CurrentActor;
import io.servinglayer.controlplane.system.Page;
import io.servinglayer.controlplane.system.Violations;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts rollouts and moves them between states, for people (the API's actions) and for
 * the leader ({@link RolloutDriver}). Every transition happens with the rollout's row
 * locked, changes the deployment in the same transaction, and is audited; so a step is
 * taken once, whichever replica takes it.
 */
@Service
class RolloutService {

	private final RolloutRepository rollouts;

	private final DeploymentService deployments;

	private final RegisteredVersions registry;

	private final AuditLog audit;

	private final CurrentActor actor;

	private final TransactionTemplate transactions;

	private final RolloutProperties properties;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	RolloutService(RolloutRepository rollouts, DeploymentService deployments, RegisteredVersions registry,
			AuditLog audit, CurrentActor actor, TransactionTemplate transactions, RolloutProperties properties,
			Clock clock, ApplicationEventPublisher events) {
		this.rollouts = rollouts;
		this.deployments = deployments;
		this.registry = registry;
		this.audit = audit;
		this.actor = actor;
		this.transactions = transactions;
		this.properties = properties;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Creates a pending rollout and puts its version on the deployment as a canary at
	 * weight 0, so the instances start loading it now.
	 */
	Rollout.View start(String deploymentName, RolloutRequest requested) {
		RolloutRequest plan = requested.withDefaults();
		Violations violations = new Violations();
		plan.validate(violations);
		violations.throwIfAny();
		return this.transactions.execute((status) -> {
			Deployment deployment = this.deployments.get(deploymentName);
			DeploymentSpec spec = deployment.spec();
			Optional<RegisteredVersions.VersionFacts> facts = this.registry.version(spec.model(), plan.version());
			violations
				.require(facts.isPresent(), "version", "model '" + spec.model() + "' has no version " + plan.version())
				.require(facts.isEmpty() || !facts.get().archived(), "version",
						"version " + plan.version() + " of model '" + spec.model() + "' is archived")
				.require(!plan.version().equals(spec.stableVersion()), "version",
						"version " + plan.version() + " is already the stable version");
			violations.throwIfAny();
			Instant now = now();
			long id = this.rollouts
				.insert(deploymentName, plan.version(), spec.stableVersion(), plan, this.actor.name(), now)
				.orElseThrow(() -> new RolloutConflictException("Deployment '" + deploymentName
						+ "' already has a rollout that has not ended; abort it or wait for it to end"));
			setCanary(deploymentName, plan.version(), 0);
			Rollout rollout = this.rollouts.find(deploymentName, id).orElseThrow();
			this.audit.record("rollout.created", "rollout", deploymentName + "/" + id, null, rollout.view(List.of()));
			announce(null, rollout);
			return rollout.view(List.of());
		});
	}

	Rollout.View get(String deployment, long id) {
		Rollout rollout = this.rollouts.find(deployment, id).orElseThrow(() -> notFound(deployment, id));
		return rollout.view(this.rollouts.decisions(id));
	}

	Page<Rollout.View> list(String deployment, Integer pageSize, String pageToken) {
		this.deployments.get(deployment);
		int size = Page.size(pageSize);
		Page<Rollout> page = Page.of(this.rollouts.list(deployment, Page.decodeNumber(pageToken), size + 1), size,
				(rollout) -> Long.toString(rollout.id()));
		Map<Long, List<RolloutDecision>> decisions = this.rollouts
			.decisions(page.items().stream().map(Rollout::id).toList());
		return page.map((rollout) -> rollout.view(decisions.getOrDefault(rollout.id(), List.of())));
	}

	/** A person's action on a rollout: promote, pause, resume or abort. */
	Rollout.View act(String deployment, long id, String action) {
		return this.transactions.execute((status) -> {
			Rollout rollout = this.rollouts.findForUpdate(deployment, id).orElseThrow(() -> notFound(deployment, id));
			if (rollout.state().isFinal()) {
				throw new RolloutConflictException(
						"Rollout " + id + " has ended (" + rollout.state() + "); it cannot " + action);
			}
			Rollout after = switch (action) {
				case "promote" -> promote(rollout, "promoted by " + this.actor.name(), null);
				case "abort" -> end(rollout, RolloutState.Aborted, "aborted by " + this.actor.name(), "abort", null);
				case "pause" -> {
					if (rollout.state() == RolloutState.Paused) {
						yield rollout;
					}
					yield pause(rollout, "paused by " + this.actor.name());
				}
				case "resume" -> {
					if (rollout.state() != RolloutState.Paused) {
						yield rollout;
					}
					yield resume(rollout);
				}
				default -> throw new IllegalArgumentException(action);
			};
			return after.view(this.rollouts.decisions(id));
		});
	}

	/** Moves a rollout on (a state change is audited); the rollout after. */
	Rollout transition(Rollout rollout, RolloutState state, int step, Instant stepStartedAt, int extensions,
			String reason) {
		Instant now = now();
		Rollout after = new Rollout(rollout.id(), rollout.deployment(), rollout.version(), rollout.stableVersion(),
				rollout.plan(), state, step, stepStartedAt, extensions, reason, rollout.keepWarmUntil(),
				rollout.createdBy(), rollout.createdAt(), now, state.isFinal() ? now : rollout.finishedAt());
		this.rollouts.update(after);
		if (state != rollout.state()) {
			this.audit.record("rollout." + state.name().toLowerCase(java.util.Locale.ROOT), "rollout",
					rollout.deployment() + "/" + rollout.id(), rollout.view(List.of()), after.view(List.of()));
			announce(rollout.state(), after);
		}
		return after;
	}

	private void announce(RolloutState from, Rollout after) {
		this.events.publishEvent(new RolloutStateChanged(after.id(), after.deployment(), after.version(),
				after.stableVersion(), from, after.state(), after.currentStep(), switch (after.state()) {
					case Promoted -> 10_000;
					case RolledBack, Aborted -> 0;
					default -> after.currentWeight();
				}, after.reason(), this.actor.name(), after.updatedAt()));
	}

	/** Records a decision in the rollout's history and the audit log. */
	void decide(Rollout rollout, RolloutDecision decision) {
		this.rollouts.recordDecision(rollout.id(), decision);
		this.audit.record("rollout.decision", "rollout", rollout.deployment() + "/" + rollout.id(), null, decision);
	}

	RolloutDecision decision(Rollout rollout, int weight, String verdict, String reason, Evidence evidence) {
		return new RolloutDecision(0, rollout.currentStep(), weight, verdict, reason,
				(evidence != null) ? evidence.from() : null, (evidence != null) ? evidence.to() : null,
				(evidence != null) ? evidence.canary() : null, (evidence != null) ? evidence.stable() : null,
				(evidence != null) ? evidence.burnRate() : null, this.actor.name(), now());
	}

	/** Applies step {@code step}'s weight and starts its clock. */
	Rollout advance(Rollout rollout, int step, String reason, Evidence evidence) {
		int weight = rollout.plan().steps().get(step);
		setCanary(rollout.deployment(), rollout.version(), weight);
		Rollout after = transition(rollout, RolloutState.Progressing, step, now(), 0, null);
		decide(after, decision(after, weight, "advance", reason, evidence));
		return after;
	}

	/**
	 * Makes the canary the stable version; the old stable version stays as a weightless
	 * canary, loaded, for the rollback window.
	 */
	Rollout promote(Rollout rollout, String reason, Evidence evidence) {
		int oldStable = this.deployments.get(rollout.deployment()).spec().stableVersion();
		this.deployments.steer(rollout.deployment(),
				(spec) -> new DeploymentSpec(spec.model(), spec.pool(), rollout.version(),
						(oldStable != rollout.version()) ? new DeploymentSpec.Canary(oldStable, 0) : null,
						shadowWithout(spec, rollout.version()), spec.stickyKey(), spec.timeoutMs(), spec.batching()));
		Rollout promoted = transition(rollout.keptWarmUntil(now().plus(this.properties.rollbackWindow())),
				RolloutState.Promoted, rollout.currentStep(), rollout.stepStartedAt(), rollout.stepExtensions(),
				reason);
		decide(promoted, decision(promoted, 10_000, "promote", reason, evidence));
		return promoted;
	}

	/** Ends the rollout with the canary's weight at 0. */
	Rollout end(Rollout rollout, RolloutState state, String reason, String verdict, Evidence evidence) {
		setCanary(rollout.deployment(), rollout.version(), 0);
		Rollout after = transition(rollout, state, rollout.currentStep(), rollout.stepStartedAt(),
				rollout.stepExtensions(), reason);
		decide(after, decision(after, 0, verdict, reason, evidence));
		return after;
	}

	Rollout pause(Rollout rollout, String reason) {
		Rollout after = transition(rollout, RolloutState.Paused, rollout.currentStep(), rollout.stepStartedAt(),
				rollout.stepExtensions(), reason);
		decide(after, decision(after, rollout.currentWeight(), "pause", reason, null));
		return after;
	}

	/** Starts the current step again (or the wait for warmth, before the first). */
	private Rollout resume(Rollout rollout) {
		RolloutState state = (rollout.currentStep() >= 0) ? RolloutState.Progressing : RolloutState.Pending;
		Rollout after = transition(rollout, state, rollout.currentStep(), now(), 0,
				(state == RolloutState.Pending) ? "waiting-for-warm" : null);
		decide(after, decision(after, rollout.currentWeight(), "resume", "resumed by " + this.actor.name(), null));
		return after;
	}

	/**
	 * Drops the old stable version kept after a promotion, if nobody changed it since.
	 */
	void dropKeptVersion(Rollout rollout) {
		DeploymentSpec spec = this.deployments.get(rollout.deployment()).spec();
		if (spec.canary() != null && spec.canary().version() == rollout.stableVersion()
				&& spec.canary().weightBasisPoints() == 0 && spec.stableVersion() == rollout.version()) {
			this.deployments.steer(rollout.deployment(),
					(current) -> new DeploymentSpec(current.model(), current.pool(), current.stableVersion(), null,
							current.shadow(), current.stickyKey(), current.timeoutMs(), current.batching()));
		}
		this.rollouts.update(rollout.keptWarmUntil(null));
	}

	private void setCanary(String deployment, int version, int weight) {
		this.deployments.steer(deployment,
				(spec) -> new DeploymentSpec(spec.model(), spec.pool(), spec.stableVersion(),
						new DeploymentSpec.Canary(version, weight), shadowWithout(spec, version), spec.stickyKey(),
						spec.timeoutMs(), spec.batching()));
	}

	/** The spec's shadow, unless it shadows {@code version} (which now takes traffic). */
	private static DeploymentSpec.Shadow shadowWithout(DeploymentSpec spec, int version) {
		return (spec.shadow() != null && spec.shadow().version() != null && spec.shadow().version() == version) ? null
				: spec.shadow();
	}

	Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	private static RolloutNotFoundException notFound(String deployment, long id) {
		return new RolloutNotFoundException(deployment, id);
	}

	/** The numbers a decision was taken on. */
	record Evidence(Instant from, Instant to, RolloutDecision.Side canary, RolloutDecision.Side stable,
			Double burnRate) {
	}

}
