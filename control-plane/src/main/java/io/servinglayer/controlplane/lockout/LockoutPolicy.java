package io.servinglayer.controlplane.lockout;

import java.time.Duration;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How repeated failures to authenticate are slowed down: after {@code maxFailures}
 * consecutive failures the principal is locked for {@code initialLock}, and each further
 * failure doubles the lock, up to {@code maxLock}.
 *
 * @param maxFailures consecutive failures allowed before the first lock
 * @param initialLock how long the first lock lasts; each further failure doubles it
 * @param maxLock the longest a lock lasts
 */
public record LockoutPolicy(@DefaultValue("5") int maxFailures, @DefaultValue("30s") Duration initialLock,
		@DefaultValue("15m") Duration maxLock) {

	public LockoutPolicy {
		if (maxFailures < 1) {
			throw new IllegalArgumentException("lockout.max-failures must be at least 1, got " + maxFailures);
		}
		if (initialLock.isNegative() || initialLock.isZero()) {
			throw new IllegalArgumentException("lockout.initial-lock must be positive, got " + initialLock);
		}
		if (maxLock.compareTo(initialLock) < 0) {
			throw new IllegalArgumentException(
					"lockout.max-lock must be at least lockout.initial-lock (" + initialLock + "), got " + maxLock);
		}
	}

	/**
	 * How long to lock after the {@code failures}-th consecutive failure; zero when not
	 * yet.
	 */
	public Duration lockFor(int failures) {
		if (failures < this.maxFailures) {
			return Duration.ZERO;
		}
		int doublings = Math.min(failures - this.maxFailures, 20);
		Duration lock = this.initialLock.multipliedBy(1L << doublings);
		return (lock.compareTo(this.maxLock) > 0) ? this.maxLock : lock;
	}

}
