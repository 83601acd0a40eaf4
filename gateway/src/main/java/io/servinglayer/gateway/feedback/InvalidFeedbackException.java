package io.servinglayer.gateway.feedback;

import io.servinglayer.gateway.system.GatewayProblem;

import org.springframework.http.HttpStatus;

/** The feedback body is not what the endpoint takes: 400, nothing counted. */
class InvalidFeedbackException extends GatewayProblem {

	InvalidFeedbackException(String field, String detail) {
		super(HttpStatus.BAD_REQUEST, "invalid-feedback", "Invalid feedback", field + " " + detail);
	}

}
