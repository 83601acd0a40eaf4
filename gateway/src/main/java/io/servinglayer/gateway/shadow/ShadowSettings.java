package io.servinglayer.gateway.shadow;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Shadow copies of requests.
 *
 * @param maxInFlight the most shadow requests under way; copies beyond it are dropped and
 * counted, so a slow shadow version can never pile up work in the gateway
 * @param maxCompared the most bytes of the primary's answer kept to compare with the
 * shadow's; larger answers are not compared
 */
@ConfigurationProperties("servinglayer.gateway.shadow")
public record ShadowSettings(@DefaultValue("32") int maxInFlight, @DefaultValue("1MB") DataSize maxCompared) {

	public ShadowSettings {
		if (maxInFlight < 1) {
			throw new IllegalArgumentException(
					"servinglayer.gateway.shadow.max-in-flight must be at least 1, got " + maxInFlight);
		}
	}

}
