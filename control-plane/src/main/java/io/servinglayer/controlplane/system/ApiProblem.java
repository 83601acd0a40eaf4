package io.servinglayer.controlplane.system;

import java.net.URI;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A failure the admin API reports to its caller as an RFC 9457 problem document. Each
 * subclass is one kind of failure with a stable {@code type} URI; its message says what
 * was wrong and what was expected, and never carries a secret.
 */
public abstract class ApiProblem extends RuntimeException {

	/** Base of every problem type URI; the documented list is in docs/admin-api.md. */
	public static final String TYPE_BASE = "https://servinglayer.dev/problems/";

	private final HttpStatus status;

	private final String type;

	private final String title;

	protected ApiProblem(HttpStatus status, String type, String title, String detail) {
		super(detail);
		this.status = status;
		this.type = type;
		this.title = title;
	}

	public HttpStatus status() {
		return this.status;
	}

	/** Extra members of the problem document, such as the list of field errors. */
	protected Map<String, Object> extensions() {
		return Map.of();
	}

	/** Headers the answer carries, such as {@code Retry-After}. */
	public HttpHeaders headers() {
		return new HttpHeaders();
	}

	public ProblemDetail toProblemDetail() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(this.status, getMessage());
		problem.setType(URI.create(TYPE_BASE + this.type));
		problem.setTitle(this.title);
		extensions().forEach(problem::setProperty);
		return problem;
	}

}
