package io.servinglayer.controlplane.rollout;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

class RolloutNotFoundException extends ApiProblem {

	RolloutNotFoundException(String deployment, long id) {
		super(HttpStatus.NOT_FOUND, "rollout-not-found", "Rollout not found",
				"Deployment '" + deployment + "' has no rollout " + id);
	}

}
