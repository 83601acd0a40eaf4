package io.servinglayer.inferenceservice.tracing;

import io.opentelemetry.api.OpenTelemetry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

	/** On Spring Boot's OpenTelemetry SDK; without one (tracing off), no spans. */
	@Bean
	RequestSpans requestSpans(ObjectProvider<OpenTelemetry> openTelemetry) {
		return new RequestSpans(openTelemetry.getIfAvailable(OpenTelemetry::noop));
	}

}
