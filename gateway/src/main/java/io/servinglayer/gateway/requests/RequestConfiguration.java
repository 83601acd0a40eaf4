package io.servinglayer.gateway.requests;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What every request gets, routed or not: an id, a trace, a size limit, a log line. */
@Configuration(proxyBeanMethods = false)
class RequestConfiguration {

	@Bean
	AccessLog accessLog() {
		return new AccessLog();
	}

	@Bean
	RequestIdentity requestIdentity() {
		return new RequestIdentity();
	}

	@Bean
	BodyBuffering bodyBuffering(RequestSettings settings) {
		return new BodyBuffering(settings);
	}

	/** Slow or silent clients cannot hold a connection (and a body buffer) forever. */
	@Bean
	NettyServerCustomizer clientReadTimeouts(RequestSettings settings) {
		return (server) -> server.idleTimeout(settings.readTimeout()).readTimeout(settings.readTimeout());
	}

	@Bean
	RequestSizeLimit requestSizeLimit(RequestSettings settings) {
		return new RequestSizeLimit(settings);
	}

}
