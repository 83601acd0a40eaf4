package io.servinglayer.gateway.outcomes;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.servinglayer.gateway.system.RedisLink;

/**
 * Records how each model request ended, per deployment and version: a Micrometer timer
 * ({@code gateway.model.requests}, tags model, version, outcome) and counters in Redis
 * that the control plane reads to judge canaries. Redis key layout, one hash per
 * deployment, version and time bucket:
 *
 * <pre>
 * {prefix}outcomes:{deployment}:{version}:{bucket start, epoch seconds}
 *   count       requests
 *   errors      5xx answers, timeouts included
 *   timeouts    504 timeouts
 *   le_{ms}     requests slower than the previous bound and at most {ms} (not cumulative)
 *   le_inf      requests slower than the last bound
 * </pre>
 *
 * The writes are fire-and-forget: they never delay an answer, time out with every other
 * Redis call, and are dropped (and counted) when too many are waiting.
 */
public class OutcomeRecorder {

	private final RedisLink redis;

	private final OutcomeSettings settings;

	private final MeterRegistry meters;

	private final Clock clock;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Counter dropped;

	public OutcomeRecorder(RedisLink redis, OutcomeSettings settings, MeterRegistry meters, Clock clock) {
		this.redis = redis;
		this.settings = settings;
		this.meters = meters;
		this.clock = clock;
		this.dropped = Counter.builder("gateway.outcomes.dropped")
			.description("Outcome counter writes not made: Redis was down or too many were waiting")
			.register(meters);
	}

	public void record(String deployment, int version, Outcome outcome, Duration latency) {
		Timer.builder("gateway.model.requests")
			.description("Model requests through the gateway, by deployment, version and outcome")
			.tag("model", deployment)
			.tag("version", Integer.toString(version))
			.tag("outcome", outcome.tag())
			.register(this.meters)
			.record(latency);
		if (this.inFlight.incrementAndGet() > this.settings.maxInFlight()) {
			this.inFlight.decrementAndGet();
			this.dropped.increment();
			return;
		}
		try {
			write(deployment, version, outcome, latency);
		}
		catch (RuntimeException ex) {
			this.inFlight.decrementAndGet();
			this.dropped.increment();
		}
	}

	/** The hash key of the bucket that {@code epochSeconds} falls in. */
	public String key(String deployment, int version, long epochSeconds) {
		long width = this.settings.bucket().toSeconds();
		return this.redis.keyPrefix() + "outcomes:" + deployment + ":" + version + ":"
				+ (epochSeconds - Math.floorMod(epochSeconds, width));
	}

	private void write(String deployment, int version, Outcome outcome, Duration latency) {
		RedisAsyncCommands<String, String> commands = this.redis.connection().async();
		String key = key(deployment, version, this.clock.instant().getEpochSecond());
		commands.hincrby(key, "count", 1);
		if (outcome == Outcome.SERVER_ERROR || outcome == Outcome.TIMEOUT) {
			commands.hincrby(key, "errors", 1);
		}
		if (outcome == Outcome.TIMEOUT) {
			commands.hincrby(key, "timeouts", 1);
		}
		commands.hincrby(key, latencyField(latency.toMillis()), 1);
		commands.expire(key, this.settings.ttl().toSeconds()).whenComplete((done, failure) -> {
			this.inFlight.decrementAndGet();
			if (failure != null) {
				this.dropped.increment();
			}
		});
	}

	String latencyField(long millis) {
		for (int bound : this.settings.latencyBoundsMs()) {
			if (millis <= bound) {
				return "le_" + bound;
			}
		}
		return "le_inf";
	}

}
