package io.servinglayer.gateway.ratelimit;

import io.servinglayer.gateway.system.GatewayProblem;

import org.springframework.http.HttpStatus;

/** Redis did not answer and the gateway is set to fail closed. */
class RateLimiterUnavailableException extends GatewayProblem {

	RateLimiterUnavailableException() {
		super(HttpStatus.SERVICE_UNAVAILABLE, "rate-limiter-unavailable", "Rate limiter unavailable",
				"the shared rate limiter did not answer and this gateway refuses requests it cannot count", 1);
	}

}
