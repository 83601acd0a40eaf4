package io.servinglayer.controlplane.client;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of API clients and the tokens they get.
 *
 * @param accessTokenTtl lifetime of issued access tokens
 * @param secretRotationGrace how long a client's previous secret keeps working after a
 * rotation
 * @param lockout how repeated bad secrets are slowed down, per client
 */
@ConfigurationProperties("servinglayer.control-plane.clients")
public record ClientProperties(@DefaultValue("10m") Duration accessTokenTtl,
		@DefaultValue("24h") Duration secretRotationGrace, @DefaultValue Lockout lockout) {

	public ClientProperties {
		if (accessTokenTtl.isNegative() || accessTokenTtl.isZero()
				|| accessTokenTtl.compareTo(Duration.ofDays(1)) > 0) {
			throw new IllegalArgumentException(
					"servinglayer.control-plane.clients.access-token-ttl must be between 1s and 1d, got "
							+ accessTokenTtl);
		}
		if (secretRotationGrace.isNegative()) {
			throw new IllegalArgumentException(
					"servinglayer.control-plane.clients.secret-rotation-grace must not be negative, got "
							+ secretRotationGrace);
		}
	}

	/**
	 * @param maxFailures consecutive bad secrets a client may send before it is locked
	 * @param initialLock how long the first lock lasts; each further failure doubles it
	 * @param maxLock the longest a lock lasts
	 */
	public record Lockout(@DefaultValue("5") int maxFailures, @DefaultValue("30s") Duration initialLock,
			@DefaultValue("15m") Duration maxLock) {

		public Lockout {
			if (maxFailures < 1) {
				throw new IllegalArgumentException(
						"servinglayer.control-plane.clients.lockout.max-failures must be at least 1, got "
								+ maxFailures);
			}
		}

		/**
		 * How long to lock a client after its {@code failures}-th consecutive failure;
		 * zero when not yet.
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

}
