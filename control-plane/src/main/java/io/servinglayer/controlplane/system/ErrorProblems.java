package io.servinglayer.controlplane.system;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page: an error the container reports by status alone (a filter's
 * {@code sendError}, a request refused before any controller) is answered as a problem
 * document like every other, in place of Spring Boot's own error JSON.
 */
@RestController
class ErrorProblems implements ErrorController {

	@RequestMapping("${server.error.path:/error}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = HttpStatus.resolve((code instanceof Integer value) ? value : 500);
		if (status == null || !status.isError()) {
			status = HttpStatus.INTERNAL_SERVER_ERROR;
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail(status));
		problem.setTitle(status.getReasonPhrase());
		return ApiExceptionHandler.respond(problem, new HttpHeaders());
	}

	private static String detail(HttpStatus status) {
		return switch (status) {
			case BAD_REQUEST -> "The request could not be read: its path, headers or body are malformed";
			case NOT_FOUND -> "Nothing is found at this path";
			case METHOD_NOT_ALLOWED -> "This path does not take this method";
			case INTERNAL_SERVER_ERROR ->
				"The control plane failed to handle this request; the request id identifies it in the logs.";
			default -> status.getReasonPhrase();
		};
	}

}
