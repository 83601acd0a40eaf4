package io.servinglayer.gateway.health;

import io.servinglayer.gateway.routing.Routing;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The protocol's server health on the client port, answered by the gateway itself with an
 * empty body: live while it runs, ready once it holds a routing snapshot.
 */
@Configuration(proxyBeanMethods = false)
class HealthRoutes {

	@Bean
	RouterFunction<ServerResponse> clientHealth(Routing routing) {
		return RouterFunctions.route(RequestPredicates.GET("/v2/health/live"), (request) -> ServerResponse.ok().build())
			.andRoute(RequestPredicates.GET("/v2/health/ready"),
					(request) -> ServerResponse.status(routing.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
						.build());
	}

}
