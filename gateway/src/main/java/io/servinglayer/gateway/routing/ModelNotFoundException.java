package io.servinglayer.gateway.routing;

import io.servinglayer.gateway.system.GatewayProblem;

import org.springframework.http.HttpStatus;

/** The path names no deployment the routing snapshot holds. */
class ModelNotFoundException extends GatewayProblem {

	ModelNotFoundException(String model) {
		super(HttpStatus.NOT_FOUND, "model-not-found", "Model not found",
				"no deployment named '" + model + "' is routed here");
	}

}
