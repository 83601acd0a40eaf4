package io.servinglayer.controlplane.registry;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

public class ModelNotFoundException extends ApiProblem {

	ModelNotFoundException(String name) {
		super(HttpStatus.NOT_FOUND, "model-not-found", "Model not found", "There is no model named '" + name + "'");
	}

}
