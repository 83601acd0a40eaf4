package io.servinglayer.gateway.modelcalls;

import io.servinglayer.gateway.system.GatewayProblem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** Too many bytes of request bodies are held already, over all calls. */
final class BodyBudgetExceededException extends GatewayProblem {

	BodyBudgetExceededException() {
		super(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", "Overloaded",
				"the gateway holds too many request bodies right now; retry shortly");
	}

	@Override
	public void addHeaders(HttpHeaders headers) {
		headers.set(HttpHeaders.RETRY_AFTER, "1");
	}

}
