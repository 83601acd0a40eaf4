package io.servinglayer.controlplane.rollout;

import io.servinglayer.controlplane.deployment.DeploymentChanged;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Pauses a deployment's rollout when a person or a pipeline changes the deployment
 * through the API while it runs: the rollout no longer knows what it is judging. Runs in
 * the change's own transaction, so the pause commits with it.
 */
@Component
class RolloutInterlock {

	private final RolloutRepository rollouts;

	private final RolloutService service;

	RolloutInterlock(RolloutRepository rollouts, RolloutService service) {
		this.rollouts = rollouts;
		this.service = service;
	}

	@EventListener
	void deploymentChanged(DeploymentChanged change) {
		if (change.steered()) {
			return;
		}
		this.rollouts.activeForUpdate(change.name())
			.filter((rollout) -> rollout.state() != RolloutState.Paused)
			.ifPresent((rollout) -> this.service.pause(rollout,
					"manual-change: " + change.actor() + " changed the deployment during the rollout"));
	}

}
