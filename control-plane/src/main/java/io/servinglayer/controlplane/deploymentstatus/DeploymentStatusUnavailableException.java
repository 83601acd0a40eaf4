package io.servinglayer.controlplane.deploymentstatus;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * The instances' announcements could not be read: Redis refused the connection or did not
 * answer within {@code spring.data.redis.timeout}. Answered 503 with {@code Retry-After};
 * the deployment itself is unaffected.
 */
public class DeploymentStatusUnavailableException extends ApiProblem {

	DeploymentStatusUnavailableException(String deployment, Exception cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "deployment-status-unavailable", "Deployment status unavailable",
				"The status of deployment '" + deployment + "' is read from the inference instances' "
						+ "announcements in Redis, and Redis did not answer; the deployment itself is unchanged. "
						+ "Try again shortly");
		initCause(cause);
	}

	@Override
	public HttpHeaders headers() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "5");
		return headers;
	}

}
