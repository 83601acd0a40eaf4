package io.servinglayer.inferenceservice.feedback;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.routingclient.SharedRedisClient;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Keeps served predictions in the instance's Redis, when it has one. */
@Configuration(proxyBeanMethods = false)
class ServedPredictionConfiguration {

	@Bean(initMethod = "start", destroyMethod = "close")
	@ConditionalOnProperty("servinglayer.inference.redis-uri")
	@ConditionalOnBooleanProperty(name = "servinglayer.inference.served-predictions.enabled", matchIfMissing = true)
	ServedPredictions servedPredictions(SharedRedisClient redis, ServedPredictionSettings served, MeterRegistry meters,
			Clock clock) {
		return new ServedPredictions(redis, served, meters, clock);
	}

}
