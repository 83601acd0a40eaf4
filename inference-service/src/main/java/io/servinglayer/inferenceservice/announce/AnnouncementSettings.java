package io.servinglayer.inferenceservice.announce;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the instance announces itself to the gateways.
 *
 * @param instanceId this instance's id; a random one when not set
 * @param baseUrl where the gateways reach this instance; {@code http://127.0.0.1:{port}}
 * when not set
 * @param keyPrefix prefix of the Redis keys, as the control plane's
 * {@code servinglayer.redis.key-prefix}
 * @param heartbeat how often the announcement is refreshed
 * @param ttl how long an announcement outlives its last refresh, so a crashed instance
 * drops out
 */
@ConfigurationProperties("servinglayer.inference.announcement")
public record AnnouncementSettings(String instanceId, String baseUrl, @DefaultValue("servinglayer:") String keyPrefix,
		@DefaultValue("5s") Duration heartbeat, @DefaultValue("15s") Duration ttl) {

	public AnnouncementSettings {
		if (ttl.compareTo(heartbeat.multipliedBy(2)) < 0) {
			throw new IllegalArgumentException("servinglayer.inference.announcement.ttl must be at least twice the "
					+ "heartbeat, so one late beat does not drop the instance; got ttl " + ttl + ", heartbeat "
					+ heartbeat);
		}
	}

}
