package io.servinglayer.controlplane.registry;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

class DuplicateVersionLabelException extends ApiProblem {

	DuplicateVersionLabelException(String model, String label) {
		super(HttpStatus.CONFLICT, "duplicate-version-label", "Duplicate version label",
				"Model '" + model + "' already has a version labelled '" + label + "'; labels are unique per model");
	}

}
