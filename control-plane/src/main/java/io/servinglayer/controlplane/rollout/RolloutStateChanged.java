package io.servinglayer.controlplane.rollout;

import java.time.Instant;

/**
 * Published inside the transaction that moved a rollout to another state, so what a
 * listener writes commits with the move.
 *
 * @param from the state before; {@code null} when the rollout was just created
 * @param currentWeight the canary's weight after the move, in basis points
 */
public record RolloutStateChanged(long id, String deployment, int version, int stableVersion, RolloutState from,
		RolloutState to, int currentStep, int currentWeight, String reason, String actor, Instant at) {
}
