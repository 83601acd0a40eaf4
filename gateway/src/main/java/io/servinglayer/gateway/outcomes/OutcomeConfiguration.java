package io.servinglayer.gateway.outcomes;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.gateway.system.RedisLink;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Per-version outcomes for canary analysis and Prometheus. */
@Configuration(proxyBeanMethods = false)
class OutcomeConfiguration {

	@Bean(initMethod = "start", destroyMethod = "close")
	OutcomeRecorder outcomeRecorder(RedisLink redis, OutcomeSettings settings, MeterRegistry meters, Clock clock) {
		return new OutcomeRecorder(redis, settings, meters, clock);
	}

	@Bean
	OutcomeRecording outcomeRecording(OutcomeRecorder recorder) {
		return new OutcomeRecording(recorder);
	}

}
