package io.servinglayer.gateway.balancing;

import java.time.Duration;

import io.servinglayer.gateway.system.GatewayProblem;

import org.springframework.http.HttpStatus;

/** No instance announces the chosen version ready. */
class NoReadyInstanceException extends GatewayProblem {

	NoReadyInstanceException(String deployment, int version, Duration retryAfter) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "no-ready-instance", "No ready instance",
				"no inference instance has version " + version + " of '" + deployment + "' loaded and warm",
				Math.max(1, retryAfter.toSeconds()));
	}

}
