package io.servinglayer.controlplane.client;

import java.time.Duration;

import io.servinglayer.controlplane.lockout.LockoutPolicy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of API clients and the tokens they get.
 *
 * @param accessTokenTtl lifetime of issued access tokens
 * @param secretRotationGrace how long a client's previous secret keeps working after a
 * rotation
 * @param lockout how repeated bad secrets are slowed down, per client id and source
 * address
 */
@ConfigurationProperties("servinglayer.control-plane.clients")
public record ClientProperties(@DefaultValue("10m") Duration accessTokenTtl,
		@DefaultValue("24h") Duration secretRotationGrace, @DefaultValue LockoutPolicy lockout) {

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

}
