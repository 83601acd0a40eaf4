package io.servinglayer.gateway.system;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A failure the gateway answers itself, as an RFC 9457 problem document of type
 * {@code https://servinglayer.dev/problems/<kind>}. Each feature throws its own subclass;
 * {@link ProblemWriter} renders them all.
 */
public abstract class GatewayProblem extends RuntimeException {

	private final HttpStatus status;

	private final String kind;

	private final String title;

	protected GatewayProblem(HttpStatus status, String kind, String title, String detail) {
		super(detail, null, false, false);
		this.status = status;
		this.kind = kind;
		this.title = title;
	}

	public HttpStatus status() {
		return this.status;
	}

	public String kind() {
		return this.kind;
	}

	public String title() {
		return this.title;
	}

	/** Headers the answer carries, such as {@code Retry-After}; none by default. */
	public void addHeaders(HttpHeaders headers) {
	}

}
