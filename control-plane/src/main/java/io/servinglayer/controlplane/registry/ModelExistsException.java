package io.servinglayer.controlplane.registry;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

class ModelExistsException extends ApiProblem {

	ModelExistsException(String name) {
		super(HttpStatus.CONFLICT, "model-exists", "Model exists", "A model named '" + name + "' already exists");
	}

}
