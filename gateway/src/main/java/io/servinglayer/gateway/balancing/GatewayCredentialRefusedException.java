package io.servinglayer.gateway.balancing;

import io.servinglayer.gateway.system.GatewayProblem;

import org.springframework.http.HttpStatus;

/**
 * An instance answered 401 or 403 to the gateway's own {@code inference:call} token (not
 * yet valid there, signed by a key the instance does not know yet, or a client without
 * the scope). The caller did nothing wrong, so it is told to retry rather than that its
 * credentials are bad; the instance is alive, so its breaker does not count it.
 */
final class GatewayCredentialRefusedException extends GatewayProblem {

	GatewayCredentialRefusedException(int status) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "gateway-credential-refused", "Gateway credential refused",
				"the inference instance refused the gateway's own credential (" + status + "); retry shortly", 1);
	}

}
