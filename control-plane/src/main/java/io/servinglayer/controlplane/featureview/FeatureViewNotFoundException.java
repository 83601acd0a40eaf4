package io.servinglayer.controlplane.featureview;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

public class FeatureViewNotFoundException extends ApiProblem {

	public FeatureViewNotFoundException(String name, Integer version) {
		super(HttpStatus.NOT_FOUND, "feature-view-not-found", "Feature view not found",
				(version != null) ? "Feature view '" + name + "' has no version " + version
						: "There is no feature view named '" + name + "'");
	}

}
