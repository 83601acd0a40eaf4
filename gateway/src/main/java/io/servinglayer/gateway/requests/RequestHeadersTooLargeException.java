package io.servinglayer.gateway.requests;

import io.servinglayer.gateway.system.GatewayProblem;

import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

/** Request header fields over {@code servinglayer.gateway.requests.max-header-size}. */
public class RequestHeadersTooLargeException extends GatewayProblem {

	public RequestHeadersTooLargeException(DataSize limit) {
		super(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request-headers-too-large", "Request headers too large",
				"the request's header fields may be at most " + limit.toBytes() + " bytes in all");
	}

}
