package io.servinglayer.controlplane.rollout;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Long polls of {@code GET …/rollouts/{id}?wait=}: held until the rollout ends or the
 * wait runs out, then answered with the rollout as it stands. One query a tick serves all
 * of them, from the database, so a rollout the leader moves on another replica wakes
 * them. The number held is bounded.
 */
@Component
class RolloutWaiters {

	private static final Logger logger = LoggerFactory.getLogger(RolloutWaiters.class);

	private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

	private final AtomicInteger count = new AtomicInteger();

	private final RolloutRepository rollouts;

	private final RolloutService service;

	private final RolloutProperties properties;

	RolloutWaiters(RolloutRepository rollouts, RolloutService service, RolloutProperties properties) {
		this.rollouts = rollouts;
		this.service = service;
		this.properties = properties;
	}

	/**
	 * A result completed when the rollout ends or {@code wait} is over; null when full.
	 */
	DeferredResult<Rollout.View> await(String deployment, long id, Duration wait) {
		if (this.count.incrementAndGet() > this.properties.maxWaiters()) {
			this.count.decrementAndGet();
			return null;
		}
		DeferredResult<Rollout.View> result = new DeferredResult<>(wait.toMillis());
		Waiter waiter = new Waiter(deployment, id, result);
		result.onTimeout(() -> result.setResult(this.service.get(deployment, id)));
		result.onCompletion(() -> {
			if (this.waiters.remove(waiter)) {
				this.count.decrementAndGet();
			}
		});
		this.waiters.add(waiter);
		return result;
	}

	@Scheduled(fixedDelayString = "${servinglayer.control-plane.rollouts.wait-poll:500ms}")
	void wake() {
		if (this.waiters.isEmpty()) {
			return;
		}
		try {
			List<Long> ids = this.waiters.stream().map(Waiter::id).distinct().toList();
			Map<Long, Rollout> ended = this.rollouts.byIds(ids)
				.stream()
				.filter((rollout) -> rollout.state().isFinal())
				.collect(Collectors.toMap(Rollout::id, Function.identity()));
			for (Iterator<Waiter> it = this.waiters.iterator(); it.hasNext();) {
				Waiter waiter = it.next();
				if (ended.containsKey(waiter.id())) {
					waiter.result().setResult(this.service.get(waiter.deployment(), waiter.id()));
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not check waited-on rollouts: {}", ex.getMessage());
		}
	}

	private record Waiter(String deployment, long id, DeferredResult<Rollout.View> result) {
	}

}
