package io.servinglayer.inferenceservice.system;

import io.micrometer.observation.ObservationPredicate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Model calls are timed by {@code inference_requests_seconds} per model, version and
 * outcome; the generic {@code http.server.requests} observation on the same calls would
 * measure them twice and costs a noticeable share of a small model's request (see
 * BENCHMARKS.md), so it is kept for every other path only.
 */
@Configuration(proxyBeanMethods = false)
class ModelPathObservations {

	@Bean
	ObservationPredicate skipGenericObservationOfModelCalls() {
		return (name,
				context) -> !(context instanceof ServerRequestObservationContext request && request.getCarrier() != null
						&& isModelCall(request.getCarrier().getMethod(), request.getCarrier().getRequestURI()));
	}

	/** {@code infer} and {@code :predict}: the POSTs under the model paths. */
	static boolean isModelCall(String method, String path) {
		return "POST".equals(method) && path != null
				&& (path.startsWith("/v2/models/") || path.startsWith("/v1/models/"));
	}

}
