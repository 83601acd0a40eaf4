package io.servinglayer.controlplane.routing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.contracts.RoutingSnapshot;
import io.servinglayer.controlplane.client.ClientService;
import io.servinglayer.controlplane.deployment.Deployment;
import io.servinglayer.controlplane.deployment.DeploymentService;
import io.servinglayer.controlplane.deployment.DeploymentSpec;
import io.servinglayer.controlplane.featureview.FeatureSpec;
import io.servinglayer.controlplane.featureview.FeatureView;
import io.servinglayer.controlplane.featureview.FeatureViewRepository;
import io.servinglayer.controlplane.featureview.RowPolicy;
import io.servinglayer.controlplane.registry.FeatureBinding;
import io.servinglayer.controlplane.registry.RegisteredVersions;
import io.servinglayer.controlplane.revision.RoutingRevisions;
import io.servinglayer.controlplane.signature.Signature;
import io.servinglayer.controlplane.signature.TensorSpec;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds routing snapshots, in the shape of the contract the data plane reads. A snapshot
 * is read in one repeatable-read transaction, so it is exactly the state at its revision;
 * the newest one is kept, so followers asking for the same revision cost one query.
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
		List<RoutingSnapshot.Deployment> routes = new ArrayList<>();
		Map<String, RoutingSnapshot.FeatureView> views = new LinkedHashMap<>();
		for (Deployment deployment : this.deployments.all()) {
			DeploymentSpec spec = deployment.spec();
			RoutingSnapshot.Version stable = version(spec.model(), spec.stableVersion(), views);
			RoutingSnapshot.Version canary = (spec.canary() != null)
					? version(spec.model(), spec.canary().version(), views) : null;
			RoutingSnapshot.Version shadow = (spec.shadow() != null)
					? version(spec.model(), spec.shadow().version(), views) : null;
			routes.add(new RoutingSnapshot.Deployment(deployment.name(), spec.model(), spec.pool(), stable, canary,
					(spec.canary() != null) ? spec.canary().weightBasisPoints() : 0, shadow,
					(spec.shadow() != null) ? spec.shadow().percent() : 0, spec.stickyKey(), deployment.salt(),
					spec.timeoutMs(), new RoutingSnapshot.Batching(spec.batching().maxBatchSize(),
							spec.batching().maxQueueDelayMicros())));
		}
		return new RoutingSnapshot(revision, this.clock.instant(), routes, List.copyOf(views.values()),
				this.clients.routes());
	}

	private RoutingSnapshot.Version version(String model, int number, Map<String, RoutingSnapshot.FeatureView> views) {
		RegisteredVersions.VersionFacts facts = this.registry.version(model, number)
			.orElseThrow(
					() -> new IllegalStateException("deployed version " + model + "/" + number + " is not registered"));
		FeatureBinding binding = facts.featureBinding();
		if (binding != null && binding.featureView() != null) {
			String key = binding.featureView().name() + "/" + binding.featureView().version();
			views.computeIfAbsent(key,
					(k) -> route(this.featureViews.find(binding.featureView().name(), binding.featureView().version())
						.orElseThrow(
								() -> new IllegalStateException("bound feature view " + k + " is not registered"))));
		}
		return new RoutingSnapshot.Version(number, facts.digest(), facts.sizeBytes(),
				"/api/v1/models/" + model + "/versions/" + number + "/artifact", route(facts.signature()),
				route(binding));
	}

	private static RoutingSnapshot.Signature route(Signature signature) {
		return (signature != null)
				? new RoutingSnapshot.Signature(tensors(signature.inputs()), tensors(signature.outputs())) : null;
	}

	private static List<RoutingSnapshot.Tensor> tensors(List<TensorSpec> specs) {
		return specs.stream()
			.map((spec) -> new RoutingSnapshot.Tensor(spec.name(), spec.datatype().name(), spec.shape(),
					spec.dimensionNames()))
			.toList();
	}

	private static RoutingSnapshot.FeatureBinding route(FeatureBinding binding) {
		if (binding == null) {
			return null;
		}
		FeatureBinding.FeatureViewRef view = binding.featureView();
		return new RoutingSnapshot.FeatureBinding((view != null)
				? new RoutingSnapshot.FeatureViewRef(view.name(), (view.version() != null) ? view.version() : 0) : null,
				features(binding.requestFeatures()), binding.inputs());
	}

	private static RoutingSnapshot.FeatureView route(FeatureView view) {
		return new RoutingSnapshot.FeatureView(view.name(), view.version(), view.description(), view.entityKeys(),
				features(view.features()), view.maxAgeSeconds(), policy(view.onMissing()), policy(view.onStale()),
				view.createdBy(), view.createdAt());
	}

	private static RoutingSnapshot.RowPolicy policy(RowPolicy policy) {
		return (policy != null) ? RoutingSnapshot.RowPolicy.of(policy.value()) : null;
	}

	private static List<RoutingSnapshot.Feature> features(List<FeatureSpec> specs) {
		return (specs != null) ? specs.stream()
			.map((spec) -> new RoutingSnapshot.Feature(spec.name(), (spec.dtype() != null) ? spec.dtype().name() : null,
					spec.defaultValue()))
			.toList() : List.of();
	}

}
