package io.servinglayer.controlplane.leader;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes one control-plane replica the leader through a lease row in PostgreSQL: the
 * holder renews it every {@code renew-every}; another replica takes it only once it has
 * expired by the database's clock. Work only the leader may do checks {@link #holdsIn the
 * lease in its own transaction}, so a replica that lost the lease while paused (a long
 * GC, a frozen VM) cannot write a step another leader has taken. A clean stop hands the
 * lease back at once.
 */
@Component
public class LeaderLease implements SmartLifecycle {

	static final String ROLLOUTS = "rollouts";

	private static final Logger logger = LoggerFactory.getLogger(LeaderLease.class);

	private final JdbcClient jdbc;

	private final LeaderProperties properties;

	private final String holder;

	private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "leader-lease");
		thread.setDaemon(true);
		return thread;
	});

	/** When this replica's lease ends by its own clock (nanoTime), or 0 when not held. */
	private volatile long heldUntilNanos;

	private volatile boolean running;

	LeaderLease(JdbcClient jdbc, LeaderProperties properties, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.holder = (properties.holder() != null && !properties.holder().isBlank()) ? properties.holder()
				: ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
		Gauge.builder("controlplane.leader", () -> isLeader() ? 1 : 0)
			.description("1 on the control-plane replica that holds the rollout lease")
			.register(meters);
	}

	public String holder() {
		return this.holder;
	}

	/**
	 * Whether this replica held the lease at its last renewal and the lease has not run
	 * out since by this replica's clock. A hint for whether to start work; the work
	 * itself checks with {@link #holdsIn}.
	 */
	public boolean isLeader() {
		long until = this.heldUntilNanos;
		return until != 0 && System.nanoTime() - until < 0;
	}

	/**
	 * Whether this replica holds the lease now, by the database's clock, checked in the
	 * caller's transaction and held (FOR SHARE) until it ends: the lease cannot change
	 * hands before the caller's writes commit.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public boolean holdsIn() {
		return this.jdbc
			.sql("SELECT 1 FROM leader_lease WHERE name = ? AND holder = ? AND expires_at > now() FOR SHARE")
			.params(ROLLOUTS, this.holder)
			.query(Integer.class)
			.optional()
			.isPresent();
	}

	void renew() {
		long started = System.nanoTime();
		try {
			boolean held = tryTake();
			boolean was = isLeader();
			this.heldUntilNanos = held ? started + this.properties.leaseTime().toNanos() : 0;
			if (held && !was) {
				logger.info("This control plane ({}) leads rollouts", this.holder);
			}
			else if (!held && was) {
				logger.warn("This control plane ({}) no longer leads rollouts", this.holder);
			}
		}
		catch (RuntimeException ex) {
			// Keep what we had until it runs out by our clock: the database may be back
			// before then.
			logger.warn("Could not renew the rollout lease: {}", ex.getMessage());
		}
	}

	/**
	 * Takes or renews the lease in one statement: the row is inserted when missing,
	 * renewed when ours, and taken (with a new term) only when expired.
	 */
	private boolean tryTake() {
		long leaseMillis = this.properties.leaseTime().toMillis();
		Optional<String> after = this.jdbc.sql("""
				INSERT INTO leader_lease AS l (name, holder, expires_at, term)
				VALUES (?, ?, now() + make_interval(secs => ? / 1000.0), 1)
				ON CONFLICT (name) DO UPDATE
				  SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at,
				      term = CASE WHEN l.holder = EXCLUDED.holder THEN l.term ELSE l.term + 1 END
				  WHERE l.holder = EXCLUDED.holder OR l.expires_at <= now()
				RETURNING holder""").params(ROLLOUTS, this.holder, leaseMillis).query(String.class).optional();
		return after.isPresent() && after.get().equals(this.holder);
	}

	private void release() {
		try {
			this.jdbc.sql("UPDATE leader_lease SET expires_at = now() WHERE name = ? AND holder = ?")
				.params(ROLLOUTS, this.holder)
				.update();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not hand the rollout lease back; another replica takes it when it expires: {}",
					ex.getMessage());
		}
		this.heldUntilNanos = 0;
	}

	@Override
	public void start() {
		long every = this.properties.renewEvery().toMillis();
		this.renewer.scheduleWithFixedDelay(this::renew, 0, every, TimeUnit.MILLISECONDS);
		this.running = true;
	}

	@Override
	public void stop() {
		this.renewer.shutdownNow();
		try {
			this.renewer.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (isLeader()) {
			release();
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
