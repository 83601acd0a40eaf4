package io.servinglayer.controlplane.idempotency;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of {@code Idempotency-Key} handling.
 *
 * @param retention how long a key's answer is kept and replayed; after that the key is forgotten
 * @param maxBodySize largest non-multipart body a keyed POST may carry (the body is hashed before it
 * is handled); multipart uploads are bounded by the artifact limit instead
 */
@ConfigurationProperties("servinglayer.control-plane.idempotency")
public record IdempotencyProperties(@DefaultValue("24h") Duration retention, @DefaultValue("1MB") DataSize maxBodySize) {

	public IdempotencyProperties {
		if (retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException(
					"servinglayer.control-plane.idempotency.retention must be positive, got " + retention);
		}
		if (maxBodySize.toBytes() <= 0 || maxBodySize.toBytes() > Integer.MAX_VALUE - 8) {
			throw new IllegalArgumentException(
					"servinglayer.control-plane.idempotency.max-body-size must be between 1B and 2GB, got " + maxBodySize);
		}
	}

}
