package io.servinglayer.gateway.balancing;

import java.time.Clock;
import java.util.Random;

import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.gateway.routing.ModelRequest;
import io.servinglayer.gateway.routing.Routing;
import io.servinglayer.gateway.routing.RoutingSettings;
import io.servinglayer.gateway.system.FailureTranslation;
import io.servinglayer.gateway.system.RedisLink;
import io.servinglayer.routingclient.ClientCredentialsToken;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Instance discovery from Redis announcements, the pick of one per attempt, and the
 * breakers that keep failing instances out of the pick.
 */
@Configuration(proxyBeanMethods = false)
class BalancingConfiguration {

	@Bean
	InstanceBreakers instanceBreakers(BalancingSettings settings, Clock clock, MeterRegistry meters) {
		return new InstanceBreakers(settings, clock, meters);
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	InstanceDirectory instanceDirectory(RedisLink redis, Routing routing, BalancingSettings settings, Clock clock,
			InstanceBreakers breakers, MeterRegistry meters) {
		return new InstanceDirectory(redis, routing::pools, settings, clock, breakers, meters);
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	InstanceCredential instanceCredential(RoutingSettings routing, Clock clock) {
		if (routing.clientSecret() == null) {
			return InstanceCredential.none();
		}
		return InstanceCredential.of(new ClientCredentialsToken(routing.controlPlane(), routing.clientId(),
				routing.clientSecret(), InstanceCredential.SCOPE, clock), clock);
	}

	@Bean
	InstancePicker instancePicker() {
		return new InstancePicker(new Random());
	}

	@Bean
	InstanceForwarding instanceForwarding(InstanceDirectory directory, InstancePicker picker, InstanceBreakers breakers,
			BalancingSettings settings, InstanceCredential credential) {
		return new InstanceForwarding(directory, picker, breakers, settings, credential);
	}

	@Bean(destroyMethod = "close")
	InstanceCalls instanceCalls(InstanceDirectory directory, InstanceForwarding forwarding, InstancePicker picker,
			InstanceBreakers breakers, BalancingSettings settings, InstanceClientSettings client,
			InstanceCredential credential, MeterRegistry meters) {
		return new InstanceCalls(directory, forwarding, picker, breakers, settings, client, credential, meters);
	}

	/**
	 * Failures of calls to instances on the generic chain, read as the lean path reads
	 * them.
	 */
	@Bean
	FailureTranslation upstreamFailures() {
		return (exchange, failure) -> {
			ModelRequest request = exchange.getAttribute(ModelRequest.ATTRIBUTE);
			UpstreamFailure kind = UpstreamFailure.of(failure);
			return (request != null)
					? kind.problem(request.deployment().name(), request.version(), request.deployment().timeoutMs())
					: kind.problem();
		};
	}

}
