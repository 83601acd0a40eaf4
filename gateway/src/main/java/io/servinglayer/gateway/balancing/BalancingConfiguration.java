package io.servinglayer.gateway.balancing;

import java.time.Clock;
import java.util.Random;

import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.gateway.routing.Routing;
import io.servinglayer.gateway.system.RedisLink;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Instance discovery from Redis announcements, and the pick of one per attempt. */
@Configuration(proxyBeanMethods = false)
class BalancingConfiguration {

	@Bean(initMethod = "start", destroyMethod = "close")
	InstanceDirectory instanceDirectory(RedisLink redis, Routing routing, BalancingSettings settings, Clock clock,
			MeterRegistry meters) {
		return new InstanceDirectory(redis, routing::pools, settings, clock, meters);
	}

	@Bean
	InstanceForwarding instanceForwarding(InstanceDirectory directory, BalancingSettings settings) {
		return new InstanceForwarding(directory, new InstancePicker(new Random()), settings);
	}

}
