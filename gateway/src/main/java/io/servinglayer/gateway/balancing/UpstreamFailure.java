package io.servinglayer.gateway.balancing;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;

import io.netty.handler.timeout.TimeoutException;
import io.servinglayer.gateway.system.GatewayOverloadedException;
import io.servinglayer.gateway.system.GatewayProblem;
import reactor.netty.channel.AbortedException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The one reading of a failed call to an instance, for both the instance's circuit
 * breaker and the client's answer, so the two never disagree: what the instance did
 * counts against it and is a 502 or 504; what the gateway or the client did (the
 * gateway's own connection pool exhausted, the client gone, a bug) does not, and is
 * answered as what it is.
 */
public enum UpstreamFailure {

	/** Refused, or its name no longer resolves: retried once on another instance. */
	UNREACHABLE(true),

	/** Reset, or closed before the whole answer. */
	CONNECTION_FAILED(true),

	/**
	 * No answer within the deployment's {@code timeoutMs}: never retried, it may have
	 * run.
	 */
	TIMEOUT(true),

	/** No pooled connection to the instance free in time: the gateway's limit, a 503. */
	GATEWAY_OVERLOADED(false),

	/** The client closed its connection: nobody to answer. */
	CLIENT_GONE(false),

	/** Not a failure of the call at all: a refusal or a bug of the gateway's. */
	NOT_UPSTREAM(false);

	private final boolean instancesDoing;

	UpstreamFailure(boolean instancesDoing) {
		this.instancesDoing = instancesDoing;
	}

	/** Whether the failure counts against the instance's breaker. */
	public boolean instancesDoing() {
		return this.instancesDoing;
	}

	public static UpstreamFailure of(Throwable failure) {
		if (failure instanceof UpstreamTimeoutException
				|| failure instanceof ResponseStatusException status && status.getStatusCode().value() == 504) {
			// The per-attempt timeout, or the HTTP client's response-timeout backstop.
			return TIMEOUT;
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof NoConnectionFreeException || cause instanceof PoolAcquireTimeoutException
					|| cause instanceof PoolAcquirePendingLimitException) {
				return GATEWAY_OVERLOADED;
			}
			if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
				return UNREACHABLE;
			}
			if (cause instanceof TimeoutException) {
				// Netty's read timeout: the instance was silent for the deployment's
				// timeout.
				return TIMEOUT;
			}
			if (cause instanceof AbortedException) {
				// Written to a connection the client had closed.
				return CLIENT_GONE;
			}
			if (cause instanceof IOException) {
				return CONNECTION_FAILED;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return NOT_UPSTREAM;
	}

	/**
	 * Whether an instance's answer says it cannot serve now: 502, or a 503 or 504 that is
	 * not the instance's own problem document, as Envoy's consecutive gateway failures.
	 * An instance's problem document (overloaded, model not ready, features unavailable,
	 * inference timeout) refuses one call to one version: the instance is alive, and
	 * ejecting it for a version's trouble would push that load onto the rest of the pool.
	 * Any other answer, a 500 included (one request the model failed on), shows the
	 * instance alive.
	 */
	public static boolean answerCountsAgainstInstance(int status, String contentType) {
		if (status == 502) {
			return true;
		}
		boolean instancesOwnRefusal = contentType != null
				&& contentType.regionMatches(true, 0, "application/problem+json", 0, 24);
		return (status == 503 || status == 504) && !instancesOwnRefusal;
	}

	/**
	 * The answer for a failure of a call to version {@code version} of
	 * {@code deployment}; {@code null} for {@link #CLIENT_GONE} and
	 * {@link #NOT_UPSTREAM}, which are answered elsewhere (not at all, or as a 500).
	 */
	public GatewayProblem problem(String deployment, int version, int timeoutMs) {
		return (this == TIMEOUT) ? new UpstreamTimeoutException(deployment, version, timeoutMs)
				: problem("the inference instance");
	}

	/**
	 * The answer for a failure of a call that was no model's (a route an operator added),
	 * in the same kinds; {@code null} as above.
	 */
	public GatewayProblem problem() {
		return problem("the upstream");
	}

	private GatewayProblem problem(String upstream) {
		return switch (this) {
			case UNREACHABLE -> new InstanceFailedException(upstream + " chosen for this request could not be reached");
			case CONNECTION_FAILED ->
				new InstanceFailedException(upstream + " chosen for this request failed to answer");
			case TIMEOUT -> new UpstreamTimeoutException(upstream + " did not answer in time");
			case GATEWAY_OVERLOADED -> new GatewayOverloadedException(
					"the gateway has no connection to " + upstream + " free in time; retry shortly");
			case CLIENT_GONE, NOT_UPSTREAM -> null;
		};
	}

	/** The instance failed the call: 502. */
	static final class InstanceFailedException extends GatewayProblem {

		InstanceFailedException(String detail) {
			super(HttpStatus.BAD_GATEWAY, "instance-unreachable", "Instance unreachable", detail);
		}

	}

}
