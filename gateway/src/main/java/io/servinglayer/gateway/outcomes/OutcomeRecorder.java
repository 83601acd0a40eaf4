package io.servinglayer.gateway.outcomes;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.servinglayer.contracts.OutcomeBucket;
import io.servinglayer.gateway.system.RedisLink;

/**
 * Records how each model request ended, per deployment and version: a Micrometer timer
 * ({@code gateway.model.requests}, tags model, version, outcome) and counters in Redis
 * that the control plane reads to judge canaries and SLOs, in the layout of
 * {@link OutcomeBucket}.
 *
 * The counts are added up in memory and written every {@code flush-interval} (one HINCRBY
 * per field and one EXPIRE per hash that changed), never on a request's path: a request
 * costs no Redis command. Writes time out with every other Redis call and are dropped
 * (and counted, one per request they held) when Redis is down or too many are waiting.
 */
public class OutcomeRecorder implements AutoCloseable {

	private final RedisLink redis;

	private final OutcomeSettings settings;

	private final MeterRegistry meters;

	private final Clock clock;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Counter dropped;

	/** Counts not yet written: hash key, then field. */
	private final ConcurrentHashMap<String, ConcurrentHashMap<String, LongAdder>> pending = new ConcurrentHashMap<>();

	/**
	 * The timers by their tags, so a request looks one up in a map rather than
	 * registering it again. Bounded by the deployments and versions routed.
	 */
	private final ConcurrentHashMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();

	private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "outcome-flush");
		thread.setDaemon(true);
		return thread;
	});

	public OutcomeRecorder(RedisLink redis, OutcomeSettings settings, MeterRegistry meters, Clock clock) {
		this.redis = redis;
		this.settings = settings;
		this.meters = meters;
		this.clock = clock;
		this.dropped = Counter.builder("gateway.outcomes.dropped")
			.description("Outcome counter writes not made: Redis was down or too many were waiting")
			.register(meters);
	}

	public void start() {
		long every = this.settings.flushInterval().toMillis();
		this.flusher.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.MILLISECONDS);
	}

	public void record(String deployment, int version, Outcome outcome, Duration latency) {
		this.timers
			.computeIfAbsent(new TimerKey(deployment, version, outcome),
					(key) -> Timer.builder("gateway.model.requests")
						.description("Model requests through the gateway, by deployment, version and outcome")
						.tag("model", deployment)
						.tag("version", Integer.toString(version))
						.tag("outcome", outcome.tag())
						.register(this.meters))
			.record(latency);
		if (outcome == Outcome.CLIENT_CLOSED) {
			// Neither an answer nor a latency of the version's: kept out of the buckets
			// canary analysis reads.
			return;
		}
		String key = key(deployment, version, this.clock.instant().getEpochSecond());
		String latencyField = latencyField(latency.toMillis());
		// Added under the key's lock, which flush's remove also takes: a count lands
		// either
		// in the map flush takes or in the next one, never in a map already summed.
		this.pending.compute(key, (k, fields) -> {
			ConcurrentHashMap<String, LongAdder> counted = (fields != null) ? fields : new ConcurrentHashMap<>();
			add(counted, OutcomeBucket.COUNT);
			if (outcome == Outcome.SERVER_ERROR || outcome == Outcome.TIMEOUT) {
				add(counted, OutcomeBucket.ERRORS);
			}
			if (outcome == Outcome.TIMEOUT) {
				add(counted, OutcomeBucket.TIMEOUTS);
			}
			add(counted, latencyField);
			return counted;
		});
	}

	private static void add(Map<String, LongAdder> fields, String field) {
		fields.computeIfAbsent(field, (f) -> new LongAdder()).increment();
	}

	/** The hash key of the bucket that {@code epochSeconds} falls in. */
	public String key(String deployment, int version, long epochSeconds) {
		return OutcomeBucket.key(this.redis.keyPrefix(), deployment, version,
				OutcomeBucket.bucketStart(epochSeconds, this.settings.bucket().toSeconds()));
	}

	/** Writes the counts added up since the last flush. */
	void flush() {
		for (String key : this.pending.keySet()) {
			Map<String, LongAdder> fields = this.pending.remove(key);
			if (fields == null) {
				continue;
			}
			Map<String, Long> counts = new LinkedHashMap<>();
			fields.forEach((field, adder) -> counts.put(field, adder.sumThenReset()));
			long requests = counts.getOrDefault(OutcomeBucket.COUNT, 0L);
			if (this.inFlight.incrementAndGet() > this.settings.maxInFlight()) {
				this.inFlight.decrementAndGet();
				this.dropped.increment(requests);
				continue;
			}
			try {
				write(key, counts);
			}
			catch (RuntimeException ex) {
				this.inFlight.decrementAndGet();
				this.dropped.increment(requests);
			}
		}
	}

	private void write(String key, Map<String, Long> counts) {
		RedisClusterAsyncCommands<String, String> commands = this.redis.connection().async();
		counts.forEach((field, count) -> commands.hincrby(key, field, count));
		long requests = counts.getOrDefault(OutcomeBucket.COUNT, 0L);
		commands.expire(key, this.settings.ttl().toSeconds()).whenComplete((done, failure) -> {
			this.inFlight.decrementAndGet();
			if (failure != null) {
				this.dropped.increment(requests);
			}
		});
	}

	String latencyField(long millis) {
		return OutcomeBucket.latencyField(millis, this.settings.latencyBoundsMs());
	}

	@Override
	public void close() {
		this.flusher.shutdownNow();
		flush();
	}

	private record TimerKey(String deployment, int version, Outcome outcome) {
	}

}
