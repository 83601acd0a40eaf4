package io.servinglayer.controlplane.deployment;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

class DeploymentNotFoundException extends ApiProblem {

	DeploymentNotFoundException(String name) {
		super(HttpStatus.NOT_FOUND, "deployment-not-found", "Deployment not found",
				"There is no deployment named '" + name + "'");
	}

}
