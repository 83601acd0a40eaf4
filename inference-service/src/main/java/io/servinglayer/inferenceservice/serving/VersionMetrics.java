package io.servinglayer.inferenceservice.serving;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.servinglayer.inferenceservice.batching.BatchObserver;

/**
 * The meters of one loaded version, labelled by model and version only: requests by
 * outcome, queue wait, ONNX Runtime execution, batch size, queue depth and, for a version
 * bound to a feature view, feature freshness, fetch latency and cache lookups. Histograms
 * use explicit buckets, so a fleet-wide quantile can be computed.
 * <p>
 * Every meter is registered when the version is loaded and removed when it is unloaded,
 * so labels stay bounded by the versions served now. A request that finishes after the
 * unload records into a removed meter, which goes nowhere; looking meters up per request
 * instead would register them again behind the unload's back.
 */
public final class VersionMetrics implements BatchObserver {

	private static final Duration[] REQUEST_BUCKETS = { Duration.ofMillis(5), Duration.ofMillis(10),
			Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
			Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500) };

	private static final Duration[] LATENCY_BUCKETS = { Duration.ofNanos(100_000), Duration.ofMillis(1),
			Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
			Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
			Duration.ofSeconds(1) };

	private static final double[] FRESHNESS_BUCKETS = { 1, 5, 15, 30, 60, 300, 900, 3600, 21600, 86400 };

	private static final Duration[] FETCH_BUCKETS = { Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
			Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
			Duration.ofMillis(250), Duration.ofMillis(500) };

	private final MeterRegistry registry;

	private final List<Meter> registered = new ArrayList<>();

	private final Timer succeeded;

	private final Timer refused;

	private final Timer failed;

	private final Timer queueWait;

	private final Counter shed;

	private final Timer execution;

	private final DistributionSummary batchSize;

	private final DistributionSummary freshness;

	private final Timer featureFetch;

	private final Counter cacheHits;

	private final Counter cacheMisses;

	/**
	 * @param withFeatures whether the version reads online features, so its feature
	 * meters are made too
	 */
	public VersionMetrics(MeterRegistry registry, String model, int version, boolean withFeatures,
			Supplier<Number> depth) {
		this.registry = registry;
		Tags tags = Tags.of("model", model, "model.version", Integer.toString(version));
		this.succeeded = requests(tags, "SUCCESS");
		this.refused = requests(tags, "CLIENT_ERROR");
		this.failed = requests(tags, "SERVER_ERROR");
		this.queueWait = keep(Timer.builder("inference.queue.wait")
			.description("Time a request waited for its batch to start")
			.tags(tags)
			.serviceLevelObjectives(LATENCY_BUCKETS)
			.register(registry));
		this.shed = keep(Counter.builder("inference.requests.shed")
			.description("Requests refused for overload (503): the queue was full, or they waited past the "
					+ "bound of half the deployment's timeout")
			.tags(tags)
			.register(registry));
		this.execution = keep(Timer.builder("inference.model.execution")
			.description("Time ONNX Runtime spent on one batch")
			.tags(tags)
			.serviceLevelObjectives(LATENCY_BUCKETS)
			.register(registry));
		this.batchSize = keep(DistributionSummary.builder("inference.batch.size")
			.description("Rows per ONNX Runtime call")
			.tags(tags)
			.serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
			.register(registry));
		keep(Gauge.builder("inference.queue.depth", depth)
			.description("Requests waiting for a batch")
			.tags(tags)
			.register(registry));
		if (withFeatures) {
			this.freshness = keep(DistributionSummary.builder("features.freshness")
				.description("Age of online feature rows when read (now minus event time)")
				.baseUnit("seconds")
				.tags(tags)
				.serviceLevelObjectives(FRESHNESS_BUCKETS)
				.register(registry));
			this.featureFetch = keep(Timer.builder("inference.features.fetch")
				.description("Time to get a request's online rows, from the cache or the store")
				.tags(tags)
				.serviceLevelObjectives(FETCH_BUCKETS)
				.register(registry));
			this.cacheHits = lookups(tags, "hit");
			this.cacheMisses = lookups(tags, "miss");
		}
		else {
			this.freshness = null;
			this.featureFetch = null;
			this.cacheHits = null;
			this.cacheMisses = null;
		}
	}

	/** Times a whole model call; outcome is SUCCESS, CLIENT_ERROR or SERVER_ERROR. */
	public void requested(Timer.Sample sample, String outcome) {
		sample.stop(switch (outcome) {
			case "SUCCESS" -> this.succeeded;
			case "CLIENT_ERROR" -> this.refused;
			default -> this.failed;
		});
	}

	@Override
	public void dequeued(long nanos) {
		this.queueWait.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void shed() {
		this.shed.increment();
	}

	@Override
	public void ran(int rows, long nanos) {
		this.execution.record(nanos, TimeUnit.NANOSECONDS);
		this.batchSize.record(rows);
	}

	/**
	 * The age of an online row when it was read; nothing for a version without features.
	 */
	public void featureRowRead(Duration age) {
		if (this.freshness != null) {
			this.freshness.record(Math.max(0, age.toMillis()) / 1000.0);
		}
	}

	public void featureLookups(int hits, int misses) {
		if (this.cacheHits != null) {
			this.cacheHits.increment(hits);
			this.cacheMisses.increment(misses);
		}
	}

	public void featuresFetched(Timer.Sample sample) {
		if (this.featureFetch != null) {
			sample.stop(this.featureFetch);
		}
	}

	/** Takes every meter of this version out of the registry. */
	public void remove() {
		this.registered.forEach(this.registry::remove);
	}

	private Timer requests(Tags tags, String outcome) {
		return keep(Timer.builder("inference.requests")
			.tags(tags)
			.tag("outcome", outcome)
			.serviceLevelObjectives(REQUEST_BUCKETS)
			.register(this.registry));
	}

	private Counter lookups(Tags tags, String result) {
		return keep(Counter.builder("features.cache.lookups")
			.description("Online rows looked up in the local cache, by result")
			.tags(tags)
			.tag("result", result)
			.register(this.registry));
	}

	private <M extends Meter> M keep(M meter) {
		this.registered.add(meter);
		return meter;
	}

}
