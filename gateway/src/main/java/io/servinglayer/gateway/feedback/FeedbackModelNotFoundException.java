package io.servinglayer.gateway.feedback;

import io.servinglayer.gateway.system.GatewayProblem;

import org.springframework.http.HttpStatus;

/** The path names no deployment the routing snapshot holds. */
class FeedbackModelNotFoundException extends GatewayProblem {

	FeedbackModelNotFoundException(String model) {
		super(HttpStatus.NOT_FOUND, "model-not-found", "Model not found",
				"no deployment named '" + model + "' is routed here");
	}

}
