package io.servinglayer.gateway.ratelimit;

import io.servinglayer.gateway.system.GatewayProblem;

import org.springframework.http.HttpStatus;

/** The client has used its burst or its daily quota. */
public class RateLimitExceededException extends GatewayProblem {

	public RateLimitExceededException(String clientId, RateLimitDecision decision) {
		super(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
				"client '" + clientId + "' has used its rate plan; retry in " + decision.retryAfterSeconds() + " s",
				decision.retryAfterSeconds());
	}

}
