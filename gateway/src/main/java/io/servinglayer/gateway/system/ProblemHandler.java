package io.servinglayer.gateway.system;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;

import io.netty.handler.timeout.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.servinglayer.gateway.requests.ClientConnection;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;

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
@Order(-2)
class ProblemHandler implements WebExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ProblemHandler.class);

	private final ProblemWriter writer;

	ProblemHandler(ProblemWriter writer) {
		this.writer = writer;
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
			if (code.value() == 504) {
				// The HTTP client's response-timeout backstop.
				return this.writer.write(exchange, HttpStatus.GATEWAY_TIMEOUT, "inference-timeout",
						"Inference timed out", "the inference instance did not answer in time");
			}
			HttpStatus resolved = HttpStatus.resolve(code.value());
			if (resolved != null && resolved.is4xxClientError()) {
				return this.writer.write(exchange, resolved, "bad-request", resolved.getReasonPhrase(),
						(status.getReason() != null) ? status.getReason() : resolved.getReasonPhrase());
			}
		}
		if (failure instanceof ConnectException || failure instanceof UnknownHostException) {
			// Retried once already (see the routes); what is left is the instance's
			// doing.
			return this.writer.write(exchange, HttpStatus.BAD_GATEWAY, "instance-unreachable", "Instance unreachable",
					"the inference instance chosen for this request could not be reached");
		}
		if (upstreamFailure(failure)) {
			logger.warn("Instance failed on {} {}: {}", exchange.getRequest().getMethod(),
					exchange.getRequest().getPath().value(), failure.toString());
			return this.writer.write(exchange, HttpStatus.BAD_GATEWAY, "instance-unreachable", "Instance unreachable",
					"the inference instance chosen for this request failed to answer");
		}
		logger.error("Unexpected failure on {} {}", exchange.getRequest().getMethod(),
				exchange.getRequest().getPath().value(), failure);
		return this.writer.write(exchange, HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
				"the gateway failed to handle the request");
	}

	/**
	 * A failure of the connection to the instance: closed early, no pooled connection in
	 * time, or any other I/O error on the way.
	 */
	static boolean upstreamFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException || cause instanceof AbortedException
					|| cause instanceof PoolAcquireTimeoutException || cause instanceof PoolAcquirePendingLimitException
					|| cause instanceof TimeoutException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

}
