package io.servinglayer.inferenceservice.reconcile;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.servinglayer.inferenceservice.batching.BatchObserver;

/**
 * The per-version meters of a loaded version: queue wait, ONNX Runtime execution, batch
 * size and queue depth, labelled by model and version only. Histograms use explicit
 * buckets, so a fleet-wide quantile can be computed; the meters are removed when the
 * version is unloaded, so labels stay bounded by the versions actually served.
 */
final class VersionMetrics implements BatchObserver {

	private static final Duration[] LATENCY_BUCKETS = { Duration.ofNanos(100_000), Duration.ofMillis(1),
			Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
			Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
			Duration.ofSeconds(1) };

	private final MeterRegistry registry;

	private final Timer queueWait;

	private final Timer execution;

	private final DistributionSummary batchSize;

	private final Gauge queueDepth;

	VersionMetrics(MeterRegistry registry, String model, int version, Supplier<Number> depth) {
		this.registry = registry;
		Tags tags = Tags.of("model", model, "model.version", Integer.toString(version));
		this.queueWait = Timer.builder("inference.queue.wait")
			.description("Time a request waited for its batch to start")
			.tags(tags)
			.serviceLevelObjectives(LATENCY_BUCKETS)
			.register(registry);
		this.execution = Timer.builder("inference.model.execution")
			.description("Time ONNX Runtime spent on one batch")
			.tags(tags)
			.serviceLevelObjectives(LATENCY_BUCKETS)
			.register(registry);
		this.batchSize = DistributionSummary.builder("inference.batch.size")
			.description("Rows per ONNX Runtime call")
			.tags(tags)
			.serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
			.register(registry);
		this.queueDepth = Gauge.builder("inference.queue.depth", depth)
			.description("Requests waiting for a batch")
			.tags(tags)
			.register(registry);
	}

	@Override
	public void dequeued(long nanos) {
		this.queueWait.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void ran(int rows, long nanos) {
		this.execution.record(nanos, TimeUnit.NANOSECONDS);
		this.batchSize.record(rows);
	}

	void remove() {
		for (Meter meter : List.of(this.queueWait, this.execution, this.batchSize, this.queueDepth)) {
			this.registry.remove(meter);
		}
	}

}
