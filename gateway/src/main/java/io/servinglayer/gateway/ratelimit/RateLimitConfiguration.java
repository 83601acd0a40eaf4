package io.servinglayer.gateway.ratelimit;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.gateway.routing.Routing;
import io.servinglayer.gateway.system.RedisLink;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Per-client rate limits shared by every gateway through Redis. */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

	@Bean
	RateLimiter rateLimiter(RedisLink redis, RateLimitSettings settings, Clock clock, MeterRegistry meters) {
		return new RateLimiter(redis, settings, clock, meters);
	}

	@Bean
	RateLimiting rateLimiting(RateLimiter limiter, Routing routing) {
		return new RateLimiting(limiter, routing);
	}

}
