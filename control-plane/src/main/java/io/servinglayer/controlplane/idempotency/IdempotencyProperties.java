package io.servinglayer.controlplane.idempotency;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of {@code Idempotency-Key} handling.
 *
 * @param retention how long a key's answer is kept and replayed; after that the key is
 * forgotten
 */
@ConfigurationProperties("servinglayer.control-plane.idempotency")
public record IdempotencyProperties(@DefaultValue("24h") Duration retention) {

	public IdempotencyProperties {
		if (retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException(
					"servinglayer.control-plane.idempotency.retention must be positive, got " + retention);
		}
	}

}
