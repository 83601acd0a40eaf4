package io.servinglayer.controlplane.system;

import org.springframework.http.HttpStatus;

/**
 * The caller's {@code If-Match} names a state that is no longer current: someone else
 * changed it first.
 */
public class PreconditionFailedException extends ApiProblem {

	public PreconditionFailedException(String target, String current) {
		super(HttpStatus.PRECONDITION_FAILED, "stale-etag", "Precondition failed",
				target + " has changed since you read it; its current ETag is " + current
						+ ". GET it again, reapply your change and retry with that ETag in If-Match.");
	}

}
