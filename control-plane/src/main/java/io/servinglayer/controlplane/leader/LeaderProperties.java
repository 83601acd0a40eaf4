package io.servinglayer.controlplane.leader;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which control-plane replica drives rollouts and rolls outcome counters up.
 *
 * @param leaseTime how long a taken or renewed lease lasts; a crashed leader is replaced
 * at most this long after its last renewal
 * @param renewEvery how often the holder renews (and the others try to take it); well
 * under {@code leaseTime} so one slow renewal does not lose it
 * @param holder this replica's name in the lease row; a random one when unset
 */
@ConfigurationProperties("servinglayer.control-plane.leader")
public record LeaderProperties(@DefaultValue("15s") Duration leaseTime, @DefaultValue("5s") Duration renewEvery,
		String holder) {

	public LeaderProperties {
		if (renewEvery.isNegative() || renewEvery.isZero() || renewEvery.compareTo(leaseTime) >= 0) {
			throw new IllegalArgumentException(
					"servinglayer.control-plane.leader.renew-every must be positive and shorter than "
							+ "lease-time, got " + renewEvery + " and " + leaseTime);
		}
	}

}
