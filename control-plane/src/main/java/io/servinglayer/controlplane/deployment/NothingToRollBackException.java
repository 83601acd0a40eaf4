package io.servinglayer.controlplane.deployment;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

class NothingToRollBackException extends ApiProblem {

	NothingToRollBackException(String name) {
		super(HttpStatus.CONFLICT, "nothing-to-roll-back", "Nothing to roll back",
				"Deployment '" + name + "' has no earlier state to go back to");
	}

}
