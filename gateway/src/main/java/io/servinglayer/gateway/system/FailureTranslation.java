package io.servinglayer.gateway.system;

import org.springframework.web.server.ServerWebExchange;

/**
 * Turns a failure a feature knows into the problem to answer, for {@link ProblemHandler}:
 * so the handler needs to know no feature, and each feature keeps the one reading of its
 * own failures.
 */
@FunctionalInterface
public interface FailureTranslation {

	/** The problem to answer, or {@code null} when the failure is not this feature's. */
	GatewayProblem translate(ServerWebExchange exchange, Throwable failure);

}
