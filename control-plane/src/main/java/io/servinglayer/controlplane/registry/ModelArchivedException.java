package io.servinglayer.controlplane.registry;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

/** A change to an archived model, which only keeps what it has. */
class ModelArchivedException extends ApiProblem {

	ModelArchivedException(String name) {
		super(HttpStatus.CONFLICT, "model-archived", "Model archived",
				"Model '" + name + "' is archived; archived models take no new versions or changes");
	}

}
