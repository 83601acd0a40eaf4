package io.servinglayer.inferenceservice.web;

import java.net.URI;

import io.servinglayer.inferenceservice.batching.QueueFullException;
import io.servinglayer.inferenceservice.predict.FeatureRowException;
import io.servinglayer.inferenceservice.predict.FeaturesUnavailableException;
import io.servinglayer.inferenceservice.protocol.InvalidInferenceRequestException;
import io.servinglayer.inferenceservice.runtime.InferenceFailedException;
import io.servinglayer.inferenceservice.serving.InferenceTimeoutException;
import io.servinglayer.inferenceservice.serving.ModelNotReadyException;
import io.servinglayer.inferenceservice.serving.ModelNotServedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Failures as problem documents that also carry the protocol's {@code error} member, so
 * both RFC 9457 clients and Open Inference Protocol clients read them as they expect.
 */
@RestControllerAdvice
class InferenceProblems extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(InferenceProblems.class);

	private static final String TYPE_BASE = "https://servinglayer.dev/problems/";

	@ExceptionHandler({ InvalidInferenceRequestException.class, FeatureRowException.class,
			FeaturesUnavailableException.class, ModelNotServedException.class, ModelNotReadyException.class,
			QueueFullException.class, InferenceTimeoutException.class, InferenceFailedException.class })
	ResponseEntity<ProblemDetail> refused(RuntimeException ex) {
		return of(ex);
	}

	/**
	 * The problem document of a failure the model path knows, or {@code null} for any
	 * other: the same answers whether MVC or {@link ModelCallServlet} served the call.
	 */
	static ResponseEntity<ProblemDetail> of(RuntimeException ex) {
		if (ex instanceof InvalidInferenceRequestException invalid) {
			ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-inference-request", ex.getMessage());
			problem.setProperty("field", invalid.field());
			return respond(problem, new HttpHeaders());
		}
		if (ex instanceof FeatureRowException refused) {
			ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, refused.type(), ex.getMessage());
			problem.setProperty("errors", refused.refusals());
			return respond(problem, new HttpHeaders());
		}
		if (ex instanceof FeaturesUnavailableException) {
			logger.warn("Refused a request without its online features: {}", ex.getMessage());
			return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "features-unavailable", ex.getMessage()),
					retryAfter(1));
		}
		if (ex instanceof ModelNotServedException) {
			return respond(problem(HttpStatus.NOT_FOUND, "model-not-found", ex.getMessage()), new HttpHeaders());
		}
		if (ex instanceof ModelNotReadyException) {
			return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "model-not-ready", ex.getMessage()), retryAfter(1));
		}
		if (ex instanceof QueueFullException) {
			return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", ex.getMessage()), retryAfter(1));
		}
		if (ex instanceof InferenceTimeoutException) {
			return respond(problem(HttpStatus.GATEWAY_TIMEOUT, "inference-timeout", ex.getMessage()),
					new HttpHeaders());
		}
		if (ex instanceof InferenceFailedException) {
			// ONNX Runtime's own text names internals (node names, kernels, memory): it
			// goes
			// to the log, never to the caller.
			logger.error("Inference failed", ex);
			return respond(
					problem(HttpStatus.INTERNAL_SERVER_ERROR, "inference-failed",
							"the model failed to run this request; the instance's log has the cause"),
					new HttpHeaders());
		}
		return null;
	}

	/** A problem of the model path's own kinds ({@code malformed-request}, ...). */
	static ResponseEntity<ProblemDetail> of(HttpStatus status, String type, String detail) {
		return respond(problem(status, type, detail), new HttpHeaders());
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem) {
			problem.setProperty("error", problem.getDetail());
			if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
				problem.setType(URI.create(TYPE_BASE + ((problem.getStatus() == 413) ? "payload-too-large"
						: (problem.getStatus() >= 500) ? "internal-error" : "malformed-request")));
			}
			return ResponseEntity.status(response.getStatusCode())
				.headers(response.getHeaders())
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(problem);
		}
		return response;
	}

	private static ProblemDetail problem(HttpStatus status, String type, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + type));
		problem.setProperty("error", detail);
		return problem;
	}

	private static HttpHeaders retryAfter(int seconds) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(seconds));
		return headers;
	}

	private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpHeaders headers) {
		return ResponseEntity.status(problem.getStatus())
			.headers(headers)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

}
