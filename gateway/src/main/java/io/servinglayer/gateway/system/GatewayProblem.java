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

	private final long retryAfterSeconds;

	protected GatewayProblem(HttpStatus status, String kind, String title, String detail) {
		this(status, kind, title, detail, 0);
	}

	/**
	 * A problem the client may retry: its answer carries {@code Retry-After} with
	 * {@code retryAfterSeconds} (at least 1).
	 */
	protected GatewayProblem(HttpStatus status, String kind, String title, String detail, long retryAfterSeconds) {
		super(detail, null, false, false);
		this.status = status;
		this.kind = kind;
		this.title = title;
		this.retryAfterSeconds = retryAfterSeconds;
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

	/**
	 * Headers the answer carries: {@code Retry-After} for a problem made with one; a
	 * subclass may add its own.
	 */
	public void addHeaders(HttpHeaders headers) {
		if (this.retryAfterSeconds > 0) {
			headers.set(HttpHeaders.RETRY_AFTER, Long.toString(this.retryAfterSeconds));
		}
	}

}
