package io.servinglayer.gateway.system;

import java.time.Clock;

import io.servinglayer.routingclient.SharedRedisClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wiring that belongs to no one feature: the clock, the gateway's one Redis client and
 * the connection its features share.
 */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/** The one client: the shared connection and the routing follower's pub/sub. */
	@Bean(destroyMethod = "close")
	SharedRedisClient redisClient(RedisSettings settings) {
		return RedisLink.client(settings);
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	RedisLink redisLink(RedisSettings settings, SharedRedisClient client) {
		return new RedisLink(settings, client);
	}

}
