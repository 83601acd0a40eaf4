package io.servinglayer.gateway.modelcalls;

import io.servinglayer.gateway.tracing.CallSpans;

import io.servinglayer.gateway.access.ModelCallAccess;
import io.servinglayer.gateway.balancing.InstanceCalls;
import io.servinglayer.gateway.outcomes.OutcomeRecorder;
import io.servinglayer.gateway.ratelimit.RateLimiter;
import io.servinglayer.gateway.requests.AccessLog;
import io.servinglayer.gateway.requests.RequestSettings;
import io.servinglayer.gateway.routing.Routing;
import io.servinglayer.gateway.routing.VersionRouting;
import io.servinglayer.gateway.shadow.ShadowCopies;
import io.servinglayer.gateway.system.ProblemWriter;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts the lean model-call path on the client port's server, as a Reactor Netty route
 * ahead of WebFlux: a request it takes never reaches WebFlux, Spring Security's chain or
 * Spring Cloud Gateway; every other request goes on to them unchanged. A customizer of
 * the main context only, so the management port never serves model calls.
 */
@Configuration(proxyBeanMethods = false)
class ModelCallConfiguration {

	@Bean
	ModelCallHandler modelCallHandler(ModelCallAccess access, RateLimiter limiter, Routing routing,
			VersionRouting versions, InstanceCalls calls, ShadowCopies shadows, OutcomeRecorder outcomes,
			AccessLog accessLog, ProblemWriter problems, RequestSettings settings, CallSpans spans) {
		return new ModelCallHandler(access, limiter, routing, versions, calls, shadows, outcomes, accessLog, problems,
				settings, spans);
	}

	@Bean
	WebServerFactoryCustomizer<NettyReactiveWebServerFactory> modelCallRoute(ModelCallHandler handler) {
		return (factory) -> factory.addRouteProviders((routes) -> routes.route(ModelCallHandler::takes, handler));
	}

}
