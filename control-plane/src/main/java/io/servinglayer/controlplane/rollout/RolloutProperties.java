package io.servinglayer.controlplane.rollout;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the leader drives rollouts.
 *
 * @param tick how often the leader looks at every rollout that has not ended
 * @param maxExtensions how many times a step with too little traffic is extended (by one
 * step interval each) before the rollout pauses with reason {@code insufficient-traffic}
 * @param warmFraction the share of the pool's instances that have the stable version warm
 * on which the canary must be warm too before a step's weight is applied (at least one
 * instance, always)
 * @param warmTimeout how long a new rollout waits for its canary to get warm before it is
 * rolled back with reason {@code canary-not-warm}
 * @param rollbackWindow how long the old stable version stays on the deployment (at
 * weight 0, so instances keep it loaded) after a promotion
 * @param maxWait the longest a {@code ?wait=} long poll is held
 * @param maxWaiters the most long polls held at once; more are answered 503
 */
@ConfigurationProperties("servinglayer.control-plane.rollouts")
public record RolloutProperties(@DefaultValue("1s") Duration tick, @DefaultValue("5") int maxExtensions,
		@DefaultValue("1.0") double warmFraction, @DefaultValue("10m") Duration warmTimeout,
		@DefaultValue("30m") Duration rollbackWindow, @DefaultValue("10m") Duration maxWait,
		@DefaultValue("256") int maxWaiters) {

	public RolloutProperties {
		if (warmFraction <= 0 || warmFraction > 1) {
			throw new IllegalArgumentException(
					"servinglayer.control-plane.rollouts.warm-fraction must be above 0 and at most 1, got "
							+ warmFraction);
		}
		if (maxExtensions < 0 || maxWaiters < 1) {
			throw new IllegalArgumentException(
					"servinglayer.control-plane.rollouts.max-extensions must not be negative and max-waiters must be positive");
		}
	}

}
