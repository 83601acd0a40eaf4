package io.servinglayer.gateway.balancing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.gateway.balancing.InstanceBreaker.Admission;
import io.servinglayer.gateway.balancing.InstanceBreaker.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker per instance, in the manner of Envoy's outlier detection. After
 * {@code consecutive-failures} failed attempts in a row an instance is ejected for
 * {@code base-ejection-time}, and for one base time more at each ejection in a row, up to
 * {@code max-ejection-time}. When its ejection ends it is half-open: one trial attempt
 * goes to it; success closes the breaker, failure ejects it again. An instance that stays
 * healthy for {@code max-ejection-time} after coming back starts afresh.
 *
 * <p>
 * Ejection never leaves a request with nowhere to go: when every candidate for a version
 * is ejected, {@link #admitting} answers none and the caller picks among all of them
 * anyway (as Envoy's panic threshold does), because a request that might succeed is
 * better than a certain 503. Such an attempt changes no breaker.
 *
 * <p>
 * State is per gateway process and in memory. Only instances that have failed have a
 * breaker (a healthy table costs one map lookup per attempt), and {@link #retain} drops
 * the breakers of instances no longer announced, and those with nothing left to remember,
 * so the map is bounded by the announced instances. Metrics are labelled by pool, never
 * by instance: {@code gateway.instances.ejections} counts ejections,
 * {@code gateway.instances.ejected} gauges the instances ejected now (open or half-open).
 */
final class InstanceBreakers {

	private static final Logger logger = LoggerFactory.getLogger(InstanceBreakers.class);

	private final BalancingSettings settings;

	private final Clock clock;

	private final MeterRegistry meters;

	/** By base URL, as the picker counts them. */
	private final ConcurrentHashMap<String, InstanceBreaker> breakers = new ConcurrentHashMap<>();

	/** Pools whose ejected-instances gauge is registered. */
	private final ConcurrentHashMap<String, Gauge> gauges = new ConcurrentHashMap<>();

	InstanceBreakers(BalancingSettings settings, Clock clock, MeterRegistry meters) {
		this.settings = settings;
		this.clock = clock;
		this.meters = meters;
	}

	/**
	 * The candidates that would take an attempt now: closed, or half-open with the trial
	 * free. Empty when every candidate is ejected; {@code candidates} itself when none
	 * is.
	 */
	List<Instance> admitting(List<Instance> candidates) {
		if (this.breakers.isEmpty()) {
			return candidates;
		}
		Instant now = this.clock.instant();
		List<Instance> admitted = null;
		for (int i = 0; i < candidates.size(); i++) {
			Instance candidate = candidates.get(i);
			InstanceBreaker breaker = this.breakers.get(candidate.baseUrl());
			boolean admits = breaker == null || breaker.admits(now);
			if (!admits && admitted == null) {
				admitted = new ArrayList<>(candidates.subList(0, i));
			}
			else if (admits && admitted != null) {
				admitted.add(candidate);
			}
		}
		return (admitted != null) ? admitted : candidates;
	}

	/** Lets an attempt at {@code instance} through; tell its outcome with the answer. */
	Admission admit(Instance instance) {
		InstanceBreaker breaker = this.breakers.get(instance.baseUrl());
		return (breaker != null) ? breaker.admit(this.clock.instant()) : Admission.REGULAR;
	}

	void succeeded(Instance instance, Admission admission) {
		InstanceBreaker breaker = this.breakers.get(instance.baseUrl());
		if (breaker != null && breaker.succeeded(this.clock.instant(), admission)) {
			logger.info("Instance {} ({}) of pool {} is back: its trial attempt succeeded", instance.instanceId(),
					instance.baseUrl(), instance.pool());
		}
	}

	/**
	 * @param failure what went wrong, for the log
	 */
	void failed(Instance instance, Admission admission, String failure) {
		if (this.settings.consecutiveFailures() == 0) {
			return;
		}
		InstanceBreaker breaker = this.breakers.computeIfAbsent(instance.baseUrl(),
				(url) -> new InstanceBreaker(instance, this.settings));
		Duration ejected = breaker.failed(this.clock.instant(), admission);
		if (ejected == null) {
			return;
		}
		Counter.builder("gateway.instances.ejections")
			.description("Instances ejected after failing too often in a row")
			.tag("pool", instance.pool())
			.register(this.meters)
			.increment();
		this.gauges.computeIfAbsent(instance.pool(),
				(pool) -> Gauge.builder("gateway.instances.ejected", this, (self) -> self.ejectedIn(pool))
					.description("Instances ejected now (open or half-open)")
					.tag("pool", pool)
					.register(this.meters));
		if (admission == Admission.TRIAL) {
			logger.info("Instance {} ({}) of pool {} failed its trial attempt ({}); ejected again for {}",
					instance.instanceId(), instance.baseUrl(), instance.pool(), failure, ejected);
		}
		else {
			logger.info("Instance {} ({}) of pool {} ejected for {} after {} failed attempts in a row, the last: {}",
					instance.instanceId(), instance.baseUrl(), instance.pool(), ejected,
					this.settings.consecutiveFailures(), failure);
		}
	}

	/** An attempt that ended without an outcome, such as one the client gave up on. */
	void abandoned(Instance instance, Admission admission) {
		InstanceBreaker breaker = this.breakers.get(instance.baseUrl());
		if (breaker != null) {
			breaker.abandoned(admission);
		}
	}

	/**
	 * Keeps the breakers of the instances announced now (the same id at the same address)
	 * that still have something to remember, and drops all others.
	 */
	void retain(Collection<Instance> announced) {
		if (this.breakers.isEmpty()) {
			return;
		}
		Map<String, String> idByUrl = new HashMap<>();
		for (Instance instance : announced) {
			idByUrl.put(instance.baseUrl(), instance.instanceId());
		}
		Instant now = this.clock.instant();
		this.breakers.entrySet()
			.removeIf((entry) -> !entry.getValue().instanceId().equals(idByUrl.get(entry.getKey()))
					|| entry.getValue().blank(now));
	}

	/** Where the breaker of {@code instance} stands. */
	State state(Instance instance) {
		InstanceBreaker breaker = this.breakers.get(instance.baseUrl());
		return (breaker != null) ? breaker.state(this.clock.instant()) : State.CLOSED;
	}

	/** How many breakers are held, for tests of the bound. */
	int size() {
		return this.breakers.size();
	}

	private double ejectedIn(String pool) {
		Instant now = this.clock.instant();
		int ejected = 0;
		for (InstanceBreaker breaker : this.breakers.values()) {
			if (breaker.pool().equals(pool) && breaker.state(now) != State.CLOSED) {
				ejected++;
			}
		}
		return ejected;
	}

}
