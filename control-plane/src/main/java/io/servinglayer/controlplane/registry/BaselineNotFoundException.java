package io.servinglayer.controlplane.registry;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

/** A version that was registered without a training baseline. */
class BaselineNotFoundException extends ApiProblem {

	BaselineNotFoundException(String model, int version) {
		super(HttpStatus.NOT_FOUND, "baseline-not-found", "Baseline not found",
				"Version " + version + " of model '" + model + "' was registered without a baseline");
	}

}
