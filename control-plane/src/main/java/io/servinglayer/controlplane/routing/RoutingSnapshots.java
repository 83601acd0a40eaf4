package io.servinglayer.controlplane.routing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.controlplane.client.ClientService;
import io.servinglayer.controlplane.deployment.Deployment;
import io.servinglayer.controlplane.deployment.DeploymentService;
import io.servinglayer.controlplane.deployment.DeploymentSpec;
import io.servinglayer.controlplane.featureview.FeatureView;
import io.servinglayer.controlplane.featureview.FeatureViewRepository;
import io.servinglayer.controlplane.registry.FeatureBinding;
import io.servinglayer.controlplane.registry.RegisteredVersions;
import io.servinglayer.controlplane.revision.RoutingRevisions;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds routing snapshots. A snapshot is read in one repeatable-read transaction, so it
 * is exactly the state at its revision; the newest one is kept, so followers asking for
 * the same revision cost one query.
 */
@Component
public class RoutingSnapshots {

	private final RoutingRevisions revisions;

	private final DeploymentService deployments;

	private final RegisteredVersions registry;

	private final FeatureViewRepository featureViews;

	private final ClientService clients;

	private final TransactionTemplate snapshotReads;

	private final Clock clock;

	private final AtomicReference<RoutingSnapshot> newest = new AtomicReference<>();

	RoutingSnapshots(RoutingRevisions revisions, DeploymentService deployments, RegisteredVersions registry,
			FeatureViewRepository featureViews, ClientService clients, PlatformTransactionManager transactionManager,
			Clock clock, MeterRegistry meters) {
		this.revisions = revisions;
		this.deployments = deployments;
		this.registry = registry;
		this.featureViews = featureViews;
		this.clients = clients;
		this.snapshotReads = new TransactionTemplate(transactionManager);
		this.snapshotReads.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
		this.snapshotReads.setReadOnly(true);
		this.clock = clock;
		// The same name the data plane's followers report, so a dashboard can show how
		// far each lags.
		Gauge.builder("servinglayer.routing.revision", revisions, RoutingRevisions::current)
			.description("The newest committed routing revision")
			.register(meters);
	}

	/** The newest committed revision. */
	public long currentRevision() {
		return this.revisions.current();
	}

	/** The snapshot at the newest committed revision. */
	public RoutingSnapshot current() {
		RoutingSnapshot cached = this.newest.get();
		if (cached != null && cached.revision() == this.revisions.current()) {
			return cached;
		}
		RoutingSnapshot built = this.snapshotReads.execute((status) -> build());
		this.newest.accumulateAndGet(built,
				(old, fresh) -> (old == null || fresh.revision() >= old.revision()) ? fresh : old);
		return built;
	}

	private RoutingSnapshot build() {
		long revision = this.revisions.current();
		List<RoutingSnapshot.DeploymentRoute> routes = new ArrayList<>();
		Map<String, FeatureView> views = new LinkedHashMap<>();
		for (Deployment deployment : this.deployments.all()) {
			DeploymentSpec spec = deployment.spec();
			RoutingSnapshot.VersionRoute stable = version(spec.model(), spec.stableVersion(), views);
			RoutingSnapshot.VersionRoute canary = (spec.canary() != null)
					? version(spec.model(), spec.canary().version(), views) : null;
			RoutingSnapshot.VersionRoute shadow = (spec.shadow() != null)
					? version(spec.model(), spec.shadow().version(), views) : null;
			routes.add(new RoutingSnapshot.DeploymentRoute(deployment.name(), spec.model(), spec.pool(), stable, canary,
					(spec.canary() != null) ? spec.canary().weightBasisPoints() : 0, shadow,
					(spec.shadow() != null) ? spec.shadow().percent() : 0, spec.stickyKey(), deployment.salt(),
					spec.timeoutMs(), spec.batching()));
		}
		return new RoutingSnapshot(revision, this.clock.instant(), routes, List.copyOf(views.values()),
				this.clients.routes());
	}

	private RoutingSnapshot.VersionRoute version(String model, int number, Map<String, FeatureView> views) {
		RegisteredVersions.VersionFacts facts = this.registry.version(model, number)
			.orElseThrow(
					() -> new IllegalStateException("deployed version " + model + "/" + number + " is not registered"));
		FeatureBinding binding = facts.featureBinding();
		if (binding != null && binding.featureView() != null) {
			String key = binding.featureView().name() + "/" + binding.featureView().version();
			views.computeIfAbsent(key,
					(k) -> this.featureViews.find(binding.featureView().name(), binding.featureView().version())
						.orElseThrow(
								() -> new IllegalStateException("bound feature view " + k + " is not registered")));
		}
		return new RoutingSnapshot.VersionRoute(number, facts.digest(), facts.sizeBytes(),
				"/api/v1/models/" + model + "/versions/" + number + "/artifact", facts.signature(), binding);
	}

}
