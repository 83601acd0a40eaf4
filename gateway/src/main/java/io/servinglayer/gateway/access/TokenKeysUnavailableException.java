package io.servinglayer.gateway.access;

import io.servinglayer.gateway.system.GatewayProblem;

import org.springframework.http.HttpStatus;

/**
 * The token could not be checked because the control plane's signing keys could not be
 * fetched: the platform's trouble, not the client's, so a 503 to retry rather than a 401
 * that would tell the client its credentials are wrong.
 */
final class TokenKeysUnavailableException extends GatewayProblem {

	TokenKeysUnavailableException() {
		super(HttpStatus.SERVICE_UNAVAILABLE, "token-keys-unavailable", "Token keys unavailable",
				"the gateway could not fetch the control plane's signing keys to check the token; retry shortly", 1);
	}

}
