package io.servinglayer.gateway.feedback;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.gateway.routing.Routing;
import io.servinglayer.gateway.system.RedisLink;
import io.servinglayer.gateway.system.RedisSettings;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The feedback endpoint, answered by the gateway itself (ahead of Spring Cloud Gateway's
 * routes, as health is); its scope is checked by the access rules.
 */
@Configuration(proxyBeanMethods = false)
class FeedbackConfiguration {

	@Bean
	RouterFunction<ServerResponse> feedbackRoute(Routing routing, RedisLink redis, RedisSettings redisSettings,
			FeedbackSettings settings, MeterRegistry meters, Clock clock) {
		FeedbackHandler handler = new FeedbackHandler(routing, new FeedbackJoin(redis, redisSettings.keyPrefix()),
				new FeedbackCounts(meters, settings, clock), settings, clock);
		return RouterFunctions.route(RequestPredicates.POST(FeedbackSettings.PATH), handler::feedback);
	}

}
