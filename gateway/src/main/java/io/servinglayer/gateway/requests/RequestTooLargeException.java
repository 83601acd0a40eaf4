package io.servinglayer.gateway.requests;

import io.servinglayer.gateway.system.GatewayProblem;

import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

/** A request body over {@code servinglayer.gateway.requests.max-body-size}. */
public class RequestTooLargeException extends GatewayProblem {

	public RequestTooLargeException(DataSize limit) {
		super(HttpStatus.CONTENT_TOO_LARGE, "request-too-large", "Request too large",
				"the request body may be at most " + limit.toBytes() + " bytes");
	}

}
