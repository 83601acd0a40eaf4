package io.servinglayer.controlplane.system;

import org.slf4j.MDC;

/** The id of the request the current thread serves, as set by the request-id filter. */
public final class RequestIds {

	static final String MDC_KEY = "requestId";

	private RequestIds() {
	}

	/** The current request's id, or {@code null} outside a request. */
	public static String current() {
		return MDC.get(MDC_KEY);
	}

}
