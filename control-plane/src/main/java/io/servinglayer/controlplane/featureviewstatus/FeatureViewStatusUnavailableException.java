package io.servinglayer.controlplane.featureviewstatus;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * The instances' announcements could not be read: Redis refused the connection or did not
 * answer within {@code spring.data.redis.timeout}. Answered 503 with {@code Retry-After};
 * the feature view and its rows are unaffected.
 */
class FeatureViewStatusUnavailableException extends ApiProblem {

	FeatureViewStatusUnavailableException(String name, Exception cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "feature-view-status-unavailable", "Feature view status unavailable",
				"The status of feature view '" + name + "' is read from the inference instances' announcements in "
						+ "Redis, and Redis did not answer; the view and its rows are unchanged. Try again shortly");
		initCause(cause);
	}

	@Override
	public HttpHeaders headers() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "5");
		return headers;
	}

}
