package io.servinglayer.controlplane.slo;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import io.servinglayer.controlplane.audit.AuditLog;
import io.servinglayer.controlplane.deployment.Deployment;
import io.servinglayer.controlplane.deployment.DeploymentService;
import io.servinglayer.controlplane.registry.FeatureBinding;
import io.servinglayer.controlplane.registry.RegisteredVersions;
import io.servinglayer.controlplane.system.CurrentActor;
import io.servinglayer.controlplane.system.EntityTags;
import io.servinglayer.controlplane.system.PreconditionFailedException;
import io.servinglayer.controlplane.system.PreconditionRequiredException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps each deployment's SLOs: validated against the deployment and what it serves,
 * replaced whole under {@code If-Match}, recorded in their history and audited, in one
 * transaction. SLOs change no routing, so no routing revision is bumped.
 */
@Service
public class Slos {

	private final SloRepository repository;

	private final DeploymentService deployments;

	private final RegisteredVersions registry;

	private final SloProperties settings;

	private final AuditLog audit;

	private final CurrentActor actor;

	private final TransactionTemplate transactions;

	private final Clock clock;

	Slos(SloRepository repository, DeploymentService deployments, RegisteredVersions registry, SloProperties settings,
			AuditLog audit, CurrentActor actor, TransactionTemplate transactions, Clock clock) {
		this.repository = repository;
		this.deployments = deployments;
		this.registry = registry;
		this.settings = settings;
		this.audit = audit;
		this.actor = actor;
		this.transactions = transactions;
		this.clock = clock;
	}

	/** The deployment's SLOs; empty when it has none or does not exist. */
	public Optional<DeploymentSlos> find(String deployment) {
		return this.repository.find(deployment);
	}

	/** Every deployment's SLOs, by deployment name. */
	public List<DeploymentSlos> all() {
		return this.repository.all();
	}

	/**
	 * The SLOs of an existing deployment.
	 * @throws DeploymentNotFoundException if there is no such deployment
	 * @throws SlosNotFoundException if it has no SLOs
	 */
	DeploymentSlos get(String deployment) {
		if (this.deployments.find(deployment).isEmpty()) {
			throw new DeploymentNotFoundException(deployment);
		}
		return find(deployment).orElseThrow(() -> new SlosNotFoundException(deployment));
	}

	/** Every deployment's SLOs as a Prometheus rule file ({@link PrometheusRules}). */
	String prometheusRules() {
		return PrometheusRules.yaml(all());
	}

	/**
	 * Sets the deployment's SLOs: creates them when it has none (an {@code If-Match}
	 * other than {@code *} is then stale), or replaces them when {@code ifMatch} names
	 * their current revision. The same objectives again change nothing.
	 */
	PutOutcome put(String deployment, String ifMatch, SloSpec spec) {
		String target = "the SLOs of deployment '" + deployment + "'";
		return this.transactions.execute((status) -> {
			Deployment found = this.deployments.find(deployment)
				.orElseThrow(() -> new DeploymentNotFoundException(deployment));
			SloValidation.check(spec, this.settings, served(found)).throwIfAny();
			List<Objective> objectives = List.copyOf(spec.objectives());
			Optional<DeploymentSlos> current = this.repository.findForUpdate(deployment);
			if (current.isEmpty()) {
				if (ifMatch != null && !ifMatch.isBlank() && !ifMatch.trim().equals("*")) {
					throw new PreconditionFailedException(target, "none (they do not exist)");
				}
				if (!this.repository.insert(deployment, objectives, this.actor.name(), now())) {
					// Created by a concurrent request since our read: the caller's view
					// is
					// stale.
					throw new PreconditionFailedException(target, "newer");
				}
				return new PutOutcome(committed(deployment, null), true);
			}
			DeploymentSlos existing = current.get();
			if (ifMatch == null || ifMatch.isBlank()) {
				throw new PreconditionRequiredException(target);
			}
			EntityTags.checkMatch(ifMatch, Long.toString(existing.revision()), target);
			if (existing.objectives().equals(objectives)) {
				return new PutOutcome(existing, false);
			}
			this.repository.update(deployment, objectives, this.actor.name(), now());
			return new PutOutcome(committed(deployment, existing), false);
		});
	}

	/** The SLOs after a PUT, and whether the PUT created them. */
	record PutOutcome(DeploymentSlos slos, boolean created) {
	}

	private DeploymentSlos committed(String deployment, DeploymentSlos before) {
		DeploymentSlos after = this.repository.find(deployment).orElseThrow();
		this.repository.recordHistory(after);
		this.audit.record((before == null) ? "slo.created" : "slo.updated", "slo", deployment, before, after);
		return after;
	}

	private SloValidation.ServedVersion served(Deployment deployment) {
		String model = deployment.spec().model();
		int version = deployment.spec().stableVersion();
		boolean readsFeatureView = this.registry.version(model, version)
			.map(RegisteredVersions.VersionFacts::featureBinding)
			.map(FeatureBinding::featureView)
			.isPresent();
		return new SloValidation.ServedVersion(model, version, readsFeatureView);
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

}
