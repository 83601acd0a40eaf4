package io.servinglayer.gateway.system;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wiring that belongs to no one feature: the clock and the shared Redis connection. */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	RedisLink redisLink(RedisSettings settings) {
		return new RedisLink(settings);
	}

}
