package io.servinglayer.controlplane.featureview;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

/**
 * A second create of a feature view version: versions are immutable, so publish a new
 * version instead.
 */
class FeatureViewExistsException extends ApiProblem {

	FeatureViewExistsException(String name, int version) {
		super(HttpStatus.CONFLICT, "feature-view-exists", "Feature view version exists",
				"Feature view '" + name + "' version " + version
						+ " already exists and versions are immutable; create version " + (version + 1) + " instead");
	}

}
