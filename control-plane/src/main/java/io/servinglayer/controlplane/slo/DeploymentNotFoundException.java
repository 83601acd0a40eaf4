package io.servinglayer.controlplane.slo;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

/** The same problem as the deployment feature's own: SLOs need an existing deployment. */
class DeploymentNotFoundException extends ApiProblem {

	DeploymentNotFoundException(String name) {
		super(HttpStatus.NOT_FOUND, "deployment-not-found", "Deployment not found",
				"There is no deployment named '" + name + "'");
	}

}
