package io.servinglayer.gateway.balancing;

import io.servinglayer.gateway.system.GatewayProblem;

import org.springframework.http.HttpStatus;

/** The instance did not answer within the deployment's {@code timeoutMs}. */
public class UpstreamTimeoutException extends GatewayProblem {

	UpstreamTimeoutException(String deployment, int version, int timeoutMs) {
		this("version " + version + " of '" + deployment + "' did not answer within " + timeoutMs + " ms");
	}

	UpstreamTimeoutException(String detail) {
		super(HttpStatus.GATEWAY_TIMEOUT, "inference-timeout", "Inference timed out", detail);
	}

}
