package io.servinglayer.controlplane.routing;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.servinglayer.contracts.RoutingSnapshot;
import io.servinglayer.controlplane.revision.RoutingProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Long-polls waiting for a routing revision newer than the one they hold. One query a
 * tick serves all of them, and it reads the database, not a local event, so a change
 * committed on any control-plane replica wakes them. The number held open is bounded.
 */
@Component
class RoutingWaiters {

	private static final Logger logger = LoggerFactory.getLogger(RoutingWaiters.class);

	private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

	private final AtomicInteger count = new AtomicInteger();

	private final RoutingSnapshots snapshots;

	private final RoutingProperties properties;

	RoutingWaiters(RoutingSnapshots snapshots, RoutingProperties properties) {
		this.snapshots = snapshots;
		this.properties = properties;
	}

	/**
	 * A result completed with the snapshot once the revision passes {@code after}, or 304
	 * at the timeout; empty when full.
	 */
	DeferredResult<ResponseEntity<RoutingSnapshot>> await(long after) {
		if (this.count.incrementAndGet() > this.properties.maxWaiters()) {
			this.count.decrementAndGet();
			return null;
		}
		DeferredResult<ResponseEntity<RoutingSnapshot>> result = new DeferredResult<>(
				this.properties.longPollTimeout().toMillis());
		Waiter waiter = new Waiter(after, result);
		result.onTimeout(() -> result.setResult(
				ResponseEntity.status(HttpStatus.NOT_MODIFIED).header(HttpHeaders.ETAG, "\"" + after + "\"").build()));
		result.onCompletion(() -> {
			if (this.waiters.remove(waiter)) {
				this.count.decrementAndGet();
			}
		});
		this.waiters.add(waiter);
		return result;
	}

	@Scheduled(fixedDelayString = "${servinglayer.control-plane.routing.poll-interval:200ms}")
	void wakeWaiters() {
		if (this.waiters.isEmpty()) {
			return;
		}
		try {
			long revision = this.snapshots.currentRevision();
			RoutingSnapshot snapshot = null;
			for (Iterator<Waiter> it = this.waiters.iterator(); it.hasNext();) {
				Waiter waiter = it.next();
				if (revision > waiter.after()) {
					snapshot = (snapshot != null) ? snapshot : this.snapshots.current();
					waiter.result().setResult(RoutingController.withTag(snapshot));
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not check for a new routing revision: {}", ex.getMessage());
		}
	}

	private record Waiter(long after, DeferredResult<ResponseEntity<RoutingSnapshot>> result) {
	}

}
