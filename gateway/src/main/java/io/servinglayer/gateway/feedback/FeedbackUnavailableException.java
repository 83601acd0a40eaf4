package io.servinglayer.gateway.feedback;

import io.servinglayer.gateway.system.GatewayProblem;

import org.springframework.http.HttpStatus;

/** Redis, where served predictions are kept, did not answer: 503, retry shortly. */
class FeedbackUnavailableException extends GatewayProblem {

	FeedbackUnavailableException(Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "feedback-unavailable", "Feedback unavailable",
				"served predictions could not be read from Redis (" + cause.getClass().getSimpleName()
						+ "); nothing was counted, send the feedback again",
				1);
	}

}
