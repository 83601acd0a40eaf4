package io.servinglayer.gateway.feedback;

import io.servinglayer.gateway.system.GatewayProblem;

import org.springframework.http.HttpStatus;

/**
 * Well-formed feedback that does not fit the prediction it names (served by another
 * model, for a different number of rows, or a label of another type): 422, and nothing in
 * the request is joined or counted.
 */
class FeedbackRefusedException extends GatewayProblem {

	FeedbackRefusedException(String kind, String detail) {
		super(HttpStatus.UNPROCESSABLE_CONTENT, kind, "Feedback does not fit the prediction", detail);
	}

}
