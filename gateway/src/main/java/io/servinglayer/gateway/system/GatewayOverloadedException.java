package io.servinglayer.gateway.system;

import org.springframework.http.HttpStatus;

/**
 * The gateway is at one of its own limits (bodies held, connections to an instance): a
 * 503 {@code overloaded} to retry shortly, never counted against an instance or a
 * version.
 */
public final class GatewayOverloadedException extends GatewayProblem {

	public GatewayOverloadedException(String detail) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", "Overloaded", detail, 1);
	}

}
