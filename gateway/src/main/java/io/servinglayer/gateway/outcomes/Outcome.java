package io.servinglayer.gateway.outcomes;

import java.util.Locale;

/** How one model request ended, as metrics and canary analysis count it. */
public enum Outcome {

	/** A 2xx or 3xx answer. */
	SUCCESS,

	/** A 4xx answer: the caller's fault, not the version's. */
	CLIENT_ERROR,

	/** A 5xx answer other than a timeout. */
	SERVER_ERROR,

	/** The instance did not answer within the deployment's timeout (504). */
	TIMEOUT,

	/**
	 * The client closed its connection before the answer: neither the version's doing nor
	 * an answer.
	 */
	CLIENT_CLOSED;

	public static Outcome of(int status, boolean timedOut) {
		if (timedOut) {
			return TIMEOUT;
		}
		if (status >= 500) {
			return SERVER_ERROR;
		}
		return (status >= 400) ? CLIENT_ERROR : SUCCESS;
	}

	String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
