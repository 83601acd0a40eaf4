package io.servinglayer.controlplane.system;

import org.springframework.http.HttpStatus;

/**
 * A query parameter or path variable that cannot be used, such as a page size out of
 * range.
 */
public class InvalidParameterException extends ApiProblem {

	public InvalidParameterException(String parameter, String expected) {
		super(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", parameter + ": " + expected);
	}

}
