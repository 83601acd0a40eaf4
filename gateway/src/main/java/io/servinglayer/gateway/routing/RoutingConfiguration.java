package io.servinglayer.gateway.routing;

import java.time.Clock;
import java.util.Random;

import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.routingclient.FollowerSettings;
import io.servinglayer.routingclient.RoutingFollower;
import io.servinglayer.routingclient.SharedRedisClient;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Follows the control plane's routing snapshot with the gateway's own client, and routes
 * the client paths by it.
 */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

	@Bean
	Routing routing() {
		return new Routing();
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	@ConditionalOnProperty("servinglayer.gateway.routing.client-secret")
	RoutingFollower routingFollower(RoutingSettings settings, SharedRedisClient redis, Routing routing, Clock clock,
			MeterRegistry meters) {
		RoutingFollower follower = new RoutingFollower(
				new FollowerSettings(settings.controlPlane(), settings.clientId(), settings.clientSecret(),
						settings.stateDirectory().resolve("routing.json"), null, settings.routingChannel(), null, null),
				redis, clock, meters);
		follower.onChange(routing::accept);
		return follower;
	}

	@Bean
	RouteLocator clientRoutes(RouteLocatorBuilder builder) {
		return GatewayRoutes.routes(builder);
	}

	@Bean
	VersionRouting versionRouting(Routing routing, WarmVersions warm, MeterRegistry meters) {
		return new VersionRouting(routing, warm, meters, new Random());
	}

	@Bean
	ModelRouting modelRouting(VersionRouting versions) {
		return new ModelRouting(versions);
	}

}
