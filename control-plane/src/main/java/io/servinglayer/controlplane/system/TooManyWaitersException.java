package io.servinglayer.controlplane.system;

import org.springframework.http.HttpStatus;

/** More long polls held at once than the control plane allows. */
public class TooManyWaitersException extends ApiProblem {

	/**
	 * @param detail who is waiting on what, and what to do instead
	 */
	public TooManyWaitersException(String detail) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "too-many-waiters", "Too many waiting callers", detail);
	}

}
