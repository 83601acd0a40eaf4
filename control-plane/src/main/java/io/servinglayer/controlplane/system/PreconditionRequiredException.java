package io.servinglayer.controlplane.system;

import org.springframework.http.HttpStatus;

/**
 * An update sent without {@code If-Match}, which would risk overwriting someone else's
 * change.
 */
public class PreconditionRequiredException extends ApiProblem {

	public PreconditionRequiredException(String target) {
		super(HttpStatus.PRECONDITION_REQUIRED, "if-match-required", "Precondition required",
				"Updating " + target + " needs an If-Match header with the ETag from a GET of it.");
	}

}
