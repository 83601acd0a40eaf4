package io.servinglayer.gateway.system;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * The one place failures become answers: the gateway's own problems, Spring's status
 * exceptions (an unknown path is 404 here), and anything unexpected as a 500 that names
 * nothing internal. Ordered before Boot's handler, which would answer in its own shape.
 */
@Component
@Order(FilterOrder.PROBLEM_HANDLER)
class ProblemHandler implements WebExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ProblemHandler.class);

	private final ProblemWriter writer;

	private final List<FailureTranslation> translations;

	ProblemHandler(ProblemWriter writer, List<FailureTranslation> translations) {
		this.writer = writer;
		this.translations = translations;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
		if (ClientConnection.closed(exchange)) {
			// Nobody to answer: the client's doing, whatever the failure says.
			logger.debug("Client closed the connection during {} {}: {}", exchange.getRequest().getMethod(),
					exchange.getRequest().getPath().value(), failure.toString());
			exchange.getResponse().setRawStatusCode(ClientConnection.CLOSED_STATUS);
			return exchange.getResponse().setComplete().onErrorComplete();
		}
		if (failure instanceof GatewayProblem problem) {
			return this.writer.write(exchange, problem);
		}
		if (failure instanceof ResponseStatusException status) {
			HttpStatusCode code = status.getStatusCode();
			if (code.value() == 404) {
				return this.writer.write(exchange, HttpStatus.NOT_FOUND, "not-found", "Not found", "no client API at "
						+ exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value());
			}
			if (code.value() == 405) {
				return this.writer.write(exchange, HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
						"Method not allowed", exchange.getRequest().getMethod() + " is not allowed here");
			}
			HttpStatus resolved = HttpStatus.resolve(code.value());
			if (resolved != null && resolved.is4xxClientError()) {
				return this.writer.write(exchange, resolved, "bad-request", resolved.getReasonPhrase(),
						(status.getReason() != null) ? status.getReason() : resolved.getReasonPhrase());
			}
		}
		for (FailureTranslation translation : this.translations) {
			GatewayProblem problem = translation.translate(exchange, failure);
			if (problem != null) {
				logger.warn("Answering {} {} with {}: {}", exchange.getRequest().getMethod(),
						exchange.getRequest().getPath().value(), problem.status().value(), failure.toString());
				return this.writer.write(exchange, problem);
			}
		}
		logger.error("Unexpected failure on {} {}", exchange.getRequest().getMethod(),
				exchange.getRequest().getPath().value(), failure);
		return this.writer.write(exchange, HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
				"the gateway failed to handle the request");
	}

}
