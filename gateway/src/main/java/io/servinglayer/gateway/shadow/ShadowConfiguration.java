package io.servinglayer.gateway.shadow;

import java.time.Duration;
import java.util.Random;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import io.servinglayer.gateway.balancing.InstanceCredential;
import io.servinglayer.gateway.balancing.InstanceDirectory;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Shadow copies on an HTTP client of their own, with its own bounded connection pool, so
 * they never take the primary traffic's connections.
 */
@Configuration(proxyBeanMethods = false)
class ShadowConfiguration {

	@Bean
	ShadowCopies shadowCopies(InstanceDirectory directory, InstanceCredential credential, ShadowSettings settings,
			MeterRegistry meters) {
		ConnectionProvider pool = ConnectionProvider.builder("shadow")
			.maxConnections(settings.maxInFlight())
			.pendingAcquireMaxCount(settings.maxInFlight())
			.pendingAcquireTimeout(Duration.ofSeconds(1))
			.build();
		HttpClient http = HttpClient.create(pool).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000);
		WebClient client = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(http))
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize((int) settings.maxCompared().toBytes()))
			.build();
		return new ShadowCopies(directory, credential, client, settings, meters, new Random());
	}

}
