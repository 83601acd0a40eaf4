package io.servinglayer.controlplane.system;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure into an {@code application/problem+json} answer with a stable
 * {@code type}, the request id, and no internals: our own {@link ApiProblem}s as they
 * describe themselves, Spring MVC's (bad JSON, wrong content type, unknown path…) with a
 * type per status, anything else as a logged 500.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	private static final Map<Integer, String> TYPES_BY_STATUS = Map.of(400, "malformed-request", 404, "not-found", 405,
			"method-not-allowed", 406, "not-acceptable", 413, "payload-too-large", 415, "unsupported-media-type", 500,
			"internal-error", 503, "unavailable");

	@ExceptionHandler(ApiProblem.class)
	ResponseEntity<ProblemDetail> handleApiProblem(ApiProblem problem) {
		return respond(problem.toProblemDetail(), problem.headers());
	}

	/**
	 * PostgreSQL unreachable, out of connections for the pool's timeout, or a statement
	 * or lock wait over its bound: the control plane cannot answer now, and a retry later
	 * may work. Nothing was changed (the transaction did not commit).
	 */
	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class,
			CannotCreateTransactionException.class })
	ResponseEntity<ProblemDetail> handleDatabaseUnavailable(Exception ex) {
		logger.warn("Request {} failed: the database is unavailable: {}", RequestIds.current(), ex.getMessage());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				DatabaseOutageFilter.DETAIL);
		problem.setTitle("Database unavailable");
		problem.setType(URI.create(ApiProblem.TYPE_BASE + "database-unavailable"));
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, DatabaseOutageFilter.RETRY_AFTER_SECONDS);
		return respond(problem, headers);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> handleUnexpected(Exception ex) {
		if (DatabaseOutageFilter.isOutage(ex)) {
			// An outage wrapped in another exception is still an outage.
			return handleDatabaseUnavailable(ex);
		}
		logger.error("Request {} failed", RequestIds.current(), ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"The control plane failed to handle this request; the request id identifies it in the logs.");
		problem.setTitle("Internal error");
		return respond(problem, new HttpHeaders());
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Throwable cause = ex;
		while (cause != null && !(cause instanceof RequestSizeFilter.BodyTooLargeException)) {
			cause = cause.getCause();
		}
		if (cause != null) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, cause.getMessage());
			problem.setTitle("Payload too large");
			return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
		}
		Throwable jackson = ex.getCause();
		while (jackson != null && !(jackson instanceof JacksonException)) {
			jackson = jackson.getCause();
		}
		FieldError error = (jackson != null) ? JsonBodyErrors.of((JacksonException) jackson, null) : null;
		ProblemDetail problem;
		if (error != null) {
			problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, error.field() + ": " + error.message());
			problem.setProperty("errors", List.of(error));
		}
		else if (jackson != null) {
			problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"The body is not valid JSON: " + ((JacksonException) jackson).getOriginalMessage());
		}
		else {
			// No body, or the JSON literal null, where an object is expected.
			problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"The request needs a JSON object as its body; it has none, or null");
			problem.setProperty("errors", List.of(new FieldError("body", "must be a JSON object")));
		}
		problem.setTitle("Malformed request");
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem) {
			decorate(problem);
			return ResponseEntity.status(response.getStatusCode())
				.headers(response.getHeaders())
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(problem);
		}
		return response;
	}

	static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpHeaders headers) {
		decorate(problem);
		return ResponseEntity.status(problem.getStatus())
			.headers(headers)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	/** Gives framework problems a stable type and every problem the request id. */
	static void decorate(ProblemDetail problem) {
		if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
			String type = TYPES_BY_STATUS.getOrDefault(problem.getStatus(),
					(problem.getStatus() >= 500) ? "internal-error" : "malformed-request");
			problem.setType(URI.create(ApiProblem.TYPE_BASE + type));
		}
		String requestId = RequestIds.current();
		if (requestId != null) {
			problem.setProperty("requestId", requestId);
		}
	}

}
