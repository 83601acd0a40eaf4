package io.servinglayer.controlplane.registry;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

public class ModelVersionNotFoundException extends ApiProblem {

	ModelVersionNotFoundException(String model, int version) {
		super(HttpStatus.NOT_FOUND, "model-version-not-found", "Model version not found",
				"Model '" + model + "' has no version " + version);
	}

}
