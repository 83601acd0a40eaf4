package io.servinglayer.gateway.balancing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * Power of two choices on outstanding requests: of two instances drawn at random, the one
 * with fewer requests in flight from this gateway. It spreads load almost as well as
 * least-outstanding over all instances, without every gateway herding onto the same idle
 * one.
 */
final class InstancePicker {

	/**
	 * In-flight counts by base URL. Bounded: an entry is removed when its count drops
	 * back to zero.
	 */
	private final ConcurrentHashMap<String, AtomicInteger> outstanding = new ConcurrentHashMap<>();

	private final RandomGenerator random;

	InstancePicker(RandomGenerator random) {
		this.random = random;
	}

	/**
	 * @param avoid base URLs already tried for this request; used only when nothing else
	 * is left
	 * @return the instance, or {@code null} when {@code candidates} is empty
	 */
	Instance pick(List<Instance> candidates, Set<String> avoid) {
		List<Instance> fresh = candidates;
		if (!avoid.isEmpty()) {
			fresh = new ArrayList<>(candidates.size());
			for (Instance candidate : candidates) {
				if (!avoid.contains(candidate.baseUrl())) {
					fresh.add(candidate);
				}
			}
			if (fresh.isEmpty()) {
				fresh = candidates;
			}
		}
		if (fresh.isEmpty()) {
			return null;
		}
		if (fresh.size() == 1) {
			return fresh.get(0);
		}
		int first = this.random.nextInt(fresh.size());
		int second = this.random.nextInt(fresh.size() - 1);
		if (second >= first) {
			second++;
		}
		Instance a = fresh.get(first);
		Instance b = fresh.get(second);
		return (inFlight(b) < inFlight(a)) ? b : a;
	}

	int inFlight(Instance instance) {
		AtomicInteger count = this.outstanding.get(instance.baseUrl());
		return (count != null) ? count.get() : 0;
	}

	void started(Instance instance) {
		// Atomic with the removal below: the increment happens inside the map's lock for
		// the key, so it never lands on a counter that finished() has just removed.
		this.outstanding.compute(instance.baseUrl(), (key, count) -> {
			AtomicInteger held = (count != null) ? count : new AtomicInteger();
			held.incrementAndGet();
			return held;
		});
	}

	void finished(Instance instance) {
		this.outstanding.computeIfPresent(instance.baseUrl(),
				(key, count) -> (count.decrementAndGet() <= 0) ? null : count);
	}

}
