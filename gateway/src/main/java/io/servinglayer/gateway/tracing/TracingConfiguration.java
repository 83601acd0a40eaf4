package io.servinglayer.gateway.tracing;

import io.opentelemetry.api.OpenTelemetry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

	/**
	 * On Spring Boot's OpenTelemetry SDK; without one (tracing switched off), spans are
	 * no-ops and nothing is propagated.
	 */
	@Bean
	CallSpans callSpans(ObjectProvider<OpenTelemetry> openTelemetry) {
		return new CallSpans(openTelemetry.getIfAvailable(OpenTelemetry::noop));
	}

}
