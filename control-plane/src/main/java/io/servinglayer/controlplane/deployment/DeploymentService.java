package io.servinglayer.controlplane.deployment;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import io.servinglayer.controlplane.audit.AuditLog;
import io.servinglayer.controlplane.registry.RegisteredVersions;
import io.servinglayer.controlplane.revision.RoutingRevisions;
import io.servinglayer.controlplane.system.CurrentActor;
import io.servinglayer.controlplane.system.EntityTags;
import io.servinglayer.controlplane.system.Page;
import io.servinglayer.controlplane.system.PreconditionFailedException;
import io.servinglayer.controlplane.system.PreconditionRequiredException;
import io.servinglayer.controlplane.system.Violations;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps deployments, the desired state of served endpoints. Every change is validated
 * against the registry, recorded in the deployment's history and audited, and bumps the
 * routing revision, all in one transaction.
 */
@Service
public class DeploymentService {

	private final DeploymentRepository deployments;

	private final RegisteredVersions registry;

	private final RoutingRevisions revisions;

	private final AuditLog audit;

	private final CurrentActor actor;

	private final TransactionTemplate transactions;

	private final JsonMapper json;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final SecureRandom random = new SecureRandom();

	DeploymentService(DeploymentRepository deployments, RegisteredVersions registry, RoutingRevisions revisions,
			AuditLog audit, CurrentActor actor, TransactionTemplate transactions, JsonMapper json, Clock clock,
			ApplicationEventPublisher events) {
		this.deployments = deployments;
		this.registry = registry;
		this.revisions = revisions;
		this.audit = audit;
		this.actor = actor;
		this.transactions = transactions;
		this.json = json;
		this.clock = clock;
		this.events = events;
	}

	/** Every deployment, for the routing snapshot; read in the caller's transaction. */
	public List<Deployment> all() {
		return this.deployments.all();
	}

	/**
	 * The versions each deployment has routed to (stable, canary or shadow) at any time
	 * since {@code since}, by deployment name.
	 */
	public Map<String, Set<Integer>> versionsRoutedSince(Instant since) {
		Map<String, Set<Integer>> versions = new TreeMap<>();
		for (Deployment state : this.deployments.statesSince(since)) {
			versions.computeIfAbsent(state.name(), (name) -> new TreeSet<>()).addAll(state.spec().versions());
		}
		for (Deployment deployment : this.deployments.all()) {
			versions.computeIfAbsent(deployment.name(), (name) -> new TreeSet<>()).addAll(deployment.spec().versions());
		}
		return versions;
	}

	/** The deployment named {@code name}, if there is one. */
	public Optional<Deployment> find(String name) {
		return this.deployments.find(name);
	}

	/**
	 * The deployment named {@code name}.
	 * @throws io.servinglayer.controlplane.system.ApiProblem a 404
	 * {@code deployment-not-found} problem when there is none
	 */
	public Deployment get(String name) {
		return this.deployments.find(name).orElseThrow(() -> new DeploymentNotFoundException(name));
	}

	Page<Deployment> list(Integer pageSize, String pageToken) {
		int size = Page.size(pageSize);
		return Page.of(this.deployments.list(Page.decode(pageToken), size + 1), size, Deployment::name);
	}

	List<DeploymentHistoryEntry> history(String name) {
		get(name);
		return this.deployments.history(name);
	}

	/** What {@link #put} would change, changing nothing. */
	DeploymentChange dryRun(String name, DeploymentSpec requested) {
		DeploymentSpec spec = requested.withDefaults();
		validate(name, spec);
		Optional<Deployment> current = this.deployments.find(name);
		return DeploymentChange.between(current.map(Deployment::spec).orElse(null), spec, true, this.json);
	}

	/**
	 * Creates the deployment, or replaces its spec when {@code ifMatch} names its current
	 * revision. A PUT of the spec it already has changes nothing and bumps no revision.
	 */
	PutOutcome put(String name, String ifMatch, DeploymentSpec requested) {
		return put(name, ifMatch, requested, false);
	}

	/**
	 * Changes a deployment on the control plane's own account (a rollout's step), with
	 * the same validation, history, audit and routing revision as a PUT but no If-Match:
	 * the caller holds the deployment's lock through its transaction, which this joins.
	 * Listeners of {@link DeploymentChanged} see it as steered, not as a person's change.
	 */
	public Deployment steer(String name, UnaryOperator<DeploymentSpec> change) {
		return this.transactions.execute((status) -> {
			Deployment current = this.deployments.findForUpdate(name)
				.orElseThrow(() -> new DeploymentNotFoundException(name));
			return put(name, EntityTags.quote(Long.toString(current.revision())), change.apply(current.spec()), true)
				.deployment();
		});
	}

	private PutOutcome put(String name, String ifMatch, DeploymentSpec requested, boolean steered) {
		DeploymentSpec spec = requested.withDefaults();
		validate(name, spec);
		return this.transactions.execute((status) -> {
			// Checked again under the model's lock: a version archived since the first
			// check is refused.
			this.registry.lockForDeployment(spec.model());
			long modelId = validate(name, spec);
			Optional<Deployment> current = this.deployments.findForUpdate(name);
			if (current.isEmpty()) {
				if (ifMatch != null && !ifMatch.isBlank() && !ifMatch.trim().equals("*")) {
					throw new PreconditionFailedException("deployment '" + name + "'", "none (it does not exist)");
				}
				if (!this.deployments.insert(name, modelId, spec, newSalt(), this.actor.name(), now())) {
					// Created by a concurrent request since our read: the caller's view
					// is stale.
					throw new PreconditionFailedException("deployment '" + name + "'", "newer");
				}
				return new PutOutcome(committed(name, null, steered), true);
			}
			Deployment existing = current.get();
			if (ifMatch == null || ifMatch.isBlank()) {
				throw new PreconditionRequiredException("deployment '" + name + "'");
			}
			EntityTags.checkMatch(ifMatch, Long.toString(existing.revision()), "deployment '" + name + "'");
			if (existing.spec().equals(spec)) {
				return new PutOutcome(existing, false);
			}
			this.deployments.update(name, modelId, spec, this.actor.name(), now());
			return new PutOutcome(committed(name, existing, steered), false);
		});
	}

	/** Restores the state before the current one, as a new change. */
	Deployment rollback(String name, String ifMatch) {
		Deployment current = get(name);
		EntityTags.checkMatch(ifMatch, Long.toString(current.revision()), "deployment '" + name + "'");
		List<DeploymentHistoryEntry> history = this.deployments.history(name);
		DeploymentHistoryEntry previous = history.stream()
			.filter((entry) -> entry.revision() < current.revision())
			.findFirst()
			.orElseThrow(() -> new NothingToRollBackException(name));
		return put(name, EntityTags.quote(Long.toString(current.revision())), previous.spec()).deployment();
	}

	/** The deployment after a PUT, and whether the PUT created it. */
	record PutOutcome(Deployment deployment, boolean created) {
	}

	private Deployment committed(String name, Deployment before, boolean steered) {
		long routingRevision = this.revisions.bump();
		Deployment after = this.deployments.find(name).orElseThrow();
		this.deployments.recordHistory(after, routingRevision);
		this.audit.record((before == null) ? "deployment.created" : "deployment.updated", "deployment", name,
				(before != null) ? DeploymentResponse.of(before) : null, DeploymentResponse.of(after));
		this.events.publishEvent(new DeploymentChanged(name, (before != null) ? before.spec() : null, after.spec(),
				after.updatedBy(), steered));
		return after;
	}

	/** Checks the spec against the registry; the model's id. */
	private long validate(String name, DeploymentSpec spec) {
		Violations violations = new Violations();
		violations.require(name != null && DeploymentSpec.NAME.matcher(name).matches(), "name",
				"must be a DNS label: 1-63 lower-case letters, digits or '-'");
		// Clients are granted a deployment as scope predict:{name}; predict:pinned
		// already
		// means "may call pinned versions" at the gateway.
		violations.require(!DeploymentSpec.RESERVED_NAMES.contains(name), "name",
				"'" + name + "' is reserved: the scope predict:" + name + " means something else at the gateway");
		spec.validateShape(violations);
		violations.throwIfAny();
		Optional<Long> modelId = this.registry.activeModelId(spec.model());
		if (modelId.isEmpty()) {
			violations.add("model", "there is no active model named '" + spec.model() + "'");
			violations.throwIfAny();
		}
		checkVersion(violations, spec.model(), spec.stableVersion(), "stableVersion");
		if (spec.canary() != null) {
			checkVersion(violations, spec.model(), spec.canary().version(), "canary.version");
		}
		if (spec.shadow() != null) {
			checkVersion(violations, spec.model(), spec.shadow().version(), "shadow.version");
		}
		violations.throwIfAny();
		return modelId.get();
	}

	private void checkVersion(Violations violations, String model, int version, String field) {
		Optional<RegisteredVersions.VersionFacts> facts = this.registry.version(model, version);
		if (facts.isEmpty()) {
			violations.add(field, "model '" + model + "' has no version " + version);
		}
		else if (facts.get().archived()) {
			violations.add(field, "version " + version + " of model '" + model + "' is archived");
		}
	}

	private String newSalt() {
		byte[] salt = new byte[8];
		this.random.nextBytes(salt);
		return HexFormat.of().formatHex(salt);
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

}
