package io.servinglayer.inferenceservice.reconcile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.servinglayer.contracts.RoutingSnapshot;
import io.servinglayer.inferenceservice.batching.BatchRunner;
import io.servinglayer.inferenceservice.batching.BatchSettings;
import io.servinglayer.inferenceservice.batching.DynamicBatcher;
import io.servinglayer.inferenceservice.drift.Baseline;
import io.servinglayer.inferenceservice.drift.DriftSettings;
import io.servinglayer.inferenceservice.drift.InputDrift;
import io.servinglayer.inferenceservice.features.FeatureBinding;
import io.servinglayer.inferenceservice.runtime.LoadedModel;
import io.servinglayer.inferenceservice.runtime.RuntimeSettings;
import io.servinglayer.inferenceservice.runtime.Tensor;
import io.servinglayer.inferenceservice.runtime.TensorSpec;
import io.servinglayer.inferenceservice.serving.ServedVersion;
import io.servinglayer.inferenceservice.serving.ServingTable;
import io.servinglayer.inferenceservice.serving.VersionMetrics;
import io.servinglayer.inferenceservice.serving.VersionState;
import io.servinglayer.inferenceservice.serving.VersionStatus;
import io.servinglayer.routingclient.FollowedSnapshot;
import io.servinglayer.routingclient.RoutingFollower;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes this instance serve what the routing snapshot assigns to its pool. For each new
 * version it fetches the artifact (verifying its SHA-256), opens it, warms it up, starts
 * its batcher and only then marks it ready; a deployment's plain {@code infer} moves to a
 * new stable version only once that version is warm. Versions no longer routed stay
 * loaded for {@code retired-version-grace} (a gateway may still route to them by an
 * announcement a heartbeat old) and are then unloaded after their queued requests drain.
 * A version that fails is marked FAILED with the reason and tried again with a doubling
 * backoff. Runs on one thread, on every snapshot change and every second for retries.
 */
public final class Reconciler implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Reconciler.class);

	private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

	private final InferenceSettings settings;

	private final RuntimeSettings runtime;

	private final DriftSettings drift;

	private final JsonMapper json = JsonMapper.builder().build();

	private final ServingTable table;

	private final RoutingFollower follower;

	private final ArtifactCache artifacts;

	private final MeterRegistry meters;

	private final Clock clock;

	private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread worker = new Thread(runnable, "reconciler");
		worker.setDaemon(true);
		return worker;
	});

	private final Map<String, Failure> failures = new HashMap<>();

	/**
	 * When each loaded version stopped being routed: it is unloaded a grace period later.
	 */
	private final Map<String, Instant> retiredAt = new HashMap<>();

	public Reconciler(InferenceSettings settings, RuntimeSettings runtime, DriftSettings drift, ServingTable table,
			RoutingFollower follower, MeterRegistry meters, Clock clock) {
		this.settings = settings;
		this.runtime = runtime;
		this.drift = drift;
		this.table = table;
		this.follower = follower;
		this.artifacts = new ArtifactCache(settings.stateDirectory().resolve("artifacts"), follower,
				settings.downloadTimeout());
		this.meters = meters;
		this.clock = clock;
		Gauge
			.builder("inference.versions.ready", table,
					(served) -> served.statuses().stream().filter((s) -> s.state() == VersionState.READY).count())
			.description("Versions warm and serving on this instance")
			.register(meters);
	}

	public void start() {
		this.follower.onChange((snapshot) -> this.thread.execute(this::reconcileQuietly));
		this.thread.scheduleWithFixedDelay(this::reconcileQuietly, 0, 1, TimeUnit.SECONDS);
	}

	private void reconcileQuietly() {
		try {
			reconcile();
		}
		catch (RuntimeException ex) {
			logger.error("Reconciliation failed", ex);
		}
	}

	void reconcile() {
		Optional<FollowedSnapshot> snapshot = this.follower.snapshot();
		if (snapshot.isEmpty()) {
			this.table.setStatuses(List.of(), false);
			return;
		}
		Map<String, DesiredVersion> desired = new LinkedHashMap<>();
		Map<String, Integer> stable = new HashMap<>();
		RoutingSnapshot routing = snapshot.get().snapshot();
		for (RoutingSnapshot.Deployment deployment : routing.deployments()) {
			if (!this.settings.pool().equals(deployment.pool()) || deployment.stable() == null) {
				continue;
			}
			stable.put(deployment.name(), deployment.stable().version());
			for (RoutingSnapshot.Version version : Arrays.asList(deployment.stable(), deployment.canary(),
					deployment.shadow())) {
				if (version != null) {
					DesiredVersion wanted = new DesiredVersion(deployment.name(),
							(deployment.model() != null) ? deployment.model() : deployment.name(), version.version(),
							version.digest(), version.artifactPath(), deployment.batching().maxBatchSize(),
							deployment.batching().maxQueueDelayMicros(), deployment.timeoutMs(),
							version.featureBinding(), routing);
					desired.put(wanted.key(), wanted);
				}
			}
		}
		List<VersionStatus> statuses = new ArrayList<>();
		for (DesiredVersion wanted : desired.values()) {
			statuses.add(ensureLoaded(wanted));
		}
		Map<String, Integer> current = new HashMap<>();
		for (Map.Entry<String, Integer> entry : stable.entrySet()) {
			if (this.table.version(entry.getKey(), entry.getValue()).isPresent()) {
				current.put(entry.getKey(), entry.getValue());
			}
			else {
				// The new stable version is not warm yet: keep serving the one before it.
				this.table.current(entry.getKey())
					.ifPresent((serving) -> current.put(entry.getKey(), serving.version()));
			}
		}
		this.table.setCurrent(current);
		this.table.setStatuses(statuses, true);
		Instant now = this.clock.instant();
		for (ServedVersion served : List.copyOf(this.table.all())) {
			String key = served.deployment() + "/" + served.version();
			boolean stillCurrent = Integer.valueOf(served.version()).equals(current.get(served.deployment()));
			if (desired.containsKey(key) || stillCurrent) {
				this.retiredAt.remove(key);
				continue;
			}
			Instant retired = this.retiredAt.computeIfAbsent(key, (any) -> now);
			if (now.isBefore(retired.plus(this.settings.retiredVersionGrace()))) {
				continue;
			}
			this.retiredAt.remove(key);
			this.table.remove(served.deployment(), served.version());
			logger.info("Unloading {} after its queued requests finish", key);
			served.unload(this.settings.drainTimeout().toMillis());
		}
		this.retiredAt.keySet()
			.retainAll(this.table.all().stream().map((v) -> v.deployment() + "/" + v.version()).toList());
		this.failures.keySet().retainAll(desired.keySet());
	}

	private VersionStatus ensureLoaded(DesiredVersion wanted) {
		if (this.table.version(wanted.deployment(), wanted.version()).isPresent()) {
			return new VersionStatus(wanted.deployment(), wanted.version(), wanted.digest(), VersionState.READY, null);
		}
		Failure failure = this.failures.get(wanted.key());
		Instant now = this.clock.instant();
		if (failure != null && now.isBefore(failure.retryAt())) {
			return new VersionStatus(wanted.deployment(), wanted.version(), wanted.digest(), VersionState.FAILED,
					failure.reason());
		}
		Timer.Sample sample = Timer.start(this.meters);
		LoadedModel model = null;
		InputDrift drift = null;
		try {
			FeatureBinding binding = FeatureBinding.of(wanted.featureBinding(), wanted.snapshot());
			Path file = this.artifacts.fetch(wanted.digest(), wanted.artifactPath());
			model = LoadedModel.open(file, this.runtime);
			model.warmUp();
			boolean batchable = model.inputs().stream().allMatch(TensorSpec::batchable)
					&& model.outputs().stream().allMatch(TensorSpec::batchable);
			drift = drift(wanted, model);
			InputDrift observed = drift;
			LoadedModel loaded = model;
			// Counted after the run, on the thread that ran the batch: a binary search
			// and a counter increment per value, cheaper than handing the batch to
			// another thread.
			BatchRunner runner = (observed == null) ? loaded::run : (inputs, outputs) -> {
				Map<String, Tensor> result = loaded.run(inputs, outputs);
				observed.observe(inputs);
				return result;
			};
			DynamicBatcher[] started = new DynamicBatcher[1];
			VersionMetrics versionMetrics = new VersionMetrics(this.meters, wanted.deployment(), wanted.version(),
					binding != null, () -> (started[0] != null) ? started[0].queueDepth() : 0);
			DynamicBatcher batcher;
			try {
				batcher = new DynamicBatcher(wanted.key(), runner,
						// A request that waited half its deployment's timeout in the
						// queue is
						// shed: its caller would give up before a late answer came.
						new BatchSettings(batchable ? wanted.maxBatchSize() : 1, wanted.maxQueueDelayMicros(),
								this.settings.maxQueuedRequests(), wanted.timeoutMs() * 1000L / 2),
						versionMetrics)
					.start();
			}
			catch (RuntimeException ex) {
				// Not served, so nothing would ever remove its meters.
				versionMetrics.remove();
				throw ex;
			}
			started[0] = batcher;
			this.table.put(new ServedVersion(wanted.deployment(), wanted.version(), wanted.digest(), model, batcher,
					wanted.timeoutMs(), binding, versionMetrics, drift));
			this.failures.remove(wanted.key());
			sample.stop(this.meters.timer("inference.model.load", "model", wanted.deployment(), "model.version",
					Integer.toString(wanted.version()), "outcome", "ready"));
			logger.info("{} is warm and serving (digest {}, batching {})", wanted.key(), wanted.digest(),
					batchable ? "up to " + wanted.maxBatchSize() : "off: the model has no batch dimension");
			return new VersionStatus(wanted.deployment(), wanted.version(), wanted.digest(), VersionState.READY, null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			closeQuietly(model);
			removeQuietly(drift);
			return new VersionStatus(wanted.deployment(), wanted.version(), wanted.digest(), VersionState.LOADING,
					null);
		}
		catch (Exception ex) {
			closeQuietly(model);
			removeQuietly(drift);
			Duration backoff = (failure == null) ? this.settings.retryBackoff() : failure.backoff().multipliedBy(2);
			if (backoff.compareTo(MAX_BACKOFF) > 0) {
				backoff = MAX_BACKOFF;
			}
			String reason = String.valueOf(ex.getMessage());
			this.failures.put(wanted.key(), new Failure(reason, now.plus(backoff), backoff));
			Counter.builder("inference.model.load.failures")
				.tag("model", wanted.deployment())
				.tag("model.version", Integer.toString(wanted.version()))
				.register(this.meters)
				.increment();
			logger.warn("{} failed to load and will be tried again in {}: {}", wanted.key(), backoff, reason);
			return new VersionStatus(wanted.deployment(), wanted.version(), wanted.digest(), VersionState.FAILED,
					reason);
		}
	}

	/**
	 * The version's input drift against its training baseline, or {@code null} when it
	 * has none. A baseline that cannot be read leaves the version serving without drift
	 * gauges (until it is loaded again) rather than not serving: drift is worth less than
	 * the model's answers.
	 */
	private InputDrift drift(DesiredVersion wanted, LoadedModel model) throws InterruptedException {
		try {
			Optional<byte[]> body = this.follower.read(wanted.baselinePath(), this.drift.baselineTimeout());
			if (body.isEmpty()) {
				return null;
			}
			InputDrift drift = InputDrift.of(Baseline.of(this.json.readTree(body.get())), model.inputs(), this.drift,
					this.clock, this.meters, wanted.deployment(), wanted.version());
			logger.info("{} measures input drift of {}", wanted.key(), drift.features());
			return drift;
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("{} serves without drift gauges: its baseline could not be read: {}", wanted.key(),
					ex.getMessage());
			return null;
		}
	}

	private static void removeQuietly(InputDrift drift) {
		if (drift != null) {
			drift.remove();
		}
	}

	private static void closeQuietly(LoadedModel model) {
		if (model != null) {
			model.close();
		}
	}

	@Override
	public void close() {
		this.thread.shutdownNow();
		for (ServedVersion served : List.copyOf(this.table.all())) {
			this.table.remove(served.deployment(), served.version());
			served.unload(this.settings.drainTimeout().toMillis());
		}
	}

	private record Failure(String reason, Instant retryAt, Duration backoff) {
	}

}
