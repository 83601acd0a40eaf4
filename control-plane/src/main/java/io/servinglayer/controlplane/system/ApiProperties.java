package io.servinglayer.controlplane.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the admin API's request handling.
 *
 * @param maxBodySize largest body of a request that is not a multipart upload; uploads
 * are bounded by {@code servinglayer.control-plane.artifacts.max-size} instead
 */
@ConfigurationProperties("servinglayer.control-plane.api")
public record ApiProperties(@DefaultValue("1MB") DataSize maxBodySize) {

	public ApiProperties {
		if (maxBodySize.toBytes() <= 0 || maxBodySize.toBytes() > Integer.MAX_VALUE - 8) {
			throw new IllegalArgumentException(
					"servinglayer.control-plane.api.max-body-size must be between 1B and 2GB, got " + maxBodySize);
		}
	}

}
