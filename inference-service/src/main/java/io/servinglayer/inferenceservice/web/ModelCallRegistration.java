package io.servinglayer.inferenceservice.web;

import io.servinglayer.inferenceservice.tracing.RequestSpans;
import io.servinglayer.inferenceservice.access.CallerTokens;
import io.servinglayer.inferenceservice.feedback.ServedPredictions;
import io.servinglayer.inferenceservice.predict.PredictionService;
import io.servinglayer.inferenceservice.serving.InferenceService;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Puts {@link ModelCallServlet} in front of MVC for the model paths. */
@Configuration(proxyBeanMethods = false)
class ModelCallRegistration {

	@Bean
	ServletRegistrationBean<ModelCallServlet> modelCalls(InferenceService inference, PredictionService predictions,
			JsonMapper json, DispatcherServletRegistrationBean mvc, CallerTokens callers, RequestSpans spans,
			ObjectProvider<ServedPredictions> served) {
		ServletRegistrationBean<ModelCallServlet> registration = new ServletRegistrationBean<>(
				new ModelCallServlet(inference, predictions, json, mvc.getServletName(), callers, spans,
						served.getIfAvailable()),
				"/v2/models/*", "/v1/models/*");
		registration.setLoadOnStartup(1);
		return registration;
	}

}
