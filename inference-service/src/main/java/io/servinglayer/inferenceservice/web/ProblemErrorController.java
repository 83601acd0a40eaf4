package io.servinglayer.inferenceservice.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error path as a problem document, in place of Spring Boot's whitelabel
 * page and its JSON: what reaches {@code /error} (a failure outside MVC's handlers, a
 * status set by a filter) is answered in the same shape as everything else.
 */
@RestController
class ProblemErrorController implements ErrorController {

	@RequestMapping("${server.error.path:${error.path:/error}}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = (code instanceof Integer number) ? HttpStatus.resolve(number) : null;
		if (status == null || !status.isError()) {
			status = HttpStatus.NOT_FOUND;
		}
		String detail = status.is5xxServerError() ? "the instance failed to answer; see its log"
				: (status == HttpStatus.NOT_FOUND) ? "nothing is served at this path"
						: "the request was refused: " + status.getReasonPhrase();
		String type = status.is5xxServerError() ? "internal-error"
				: (status == HttpStatus.NOT_FOUND) ? "not-found" : "malformed-request";
		return InferenceProblems.of(status, type, detail);
	}

}
