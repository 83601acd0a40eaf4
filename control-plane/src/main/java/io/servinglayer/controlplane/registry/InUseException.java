package io.servinglayer.controlplane.registry;

import java.util.List;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

/** Archiving a model or version that a deployment still serves. */
class InUseException extends ApiProblem {

	InUseException(String what, List<String> deployments) {
		super(HttpStatus.CONFLICT, "in-use", "In use",
				what + " is served by deployment(s) " + deployments + "; change those deployments first");
	}

}
