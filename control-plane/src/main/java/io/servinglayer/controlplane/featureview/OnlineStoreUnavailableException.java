package io.servinglayer.controlplane.featureview;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

class OnlineStoreUnavailableException extends ApiProblem {

	OnlineStoreUnavailableException(Exception cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "online-store-unavailable", "Online store unavailable",
				"The online feature store (Redis) did not answer; rows may be partly written, and sending the same rows again is safe");
		initCause(cause);
	}

	@Override
	public HttpHeaders headers() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "5");
		return headers;
	}

}
