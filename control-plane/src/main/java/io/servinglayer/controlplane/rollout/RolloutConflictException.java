package io.servinglayer.controlplane.rollout;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

/** A rollout that cannot start, or an action its state does not allow. */
class RolloutConflictException extends ApiProblem {

	RolloutConflictException(String detail) {
		super(HttpStatus.CONFLICT, "rollout-conflict", "Rollout conflict", detail);
	}

}
