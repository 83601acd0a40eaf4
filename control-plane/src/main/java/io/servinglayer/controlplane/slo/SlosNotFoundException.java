package io.servinglayer.controlplane.slo;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

class SlosNotFoundException extends ApiProblem {

	SlosNotFoundException(String deployment) {
		super(HttpStatus.NOT_FOUND, "slos-not-found", "SLOs not found",
				"Deployment '" + deployment + "' has no SLOs; PUT {\"objectives\": [...]} to /api/v1/deployments/"
						+ deployment + "/slos to set them");
	}

}
