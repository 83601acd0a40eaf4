package io.servinglayer.gateway.requests;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What every request gets, routed or not: an id, a trace, header and body size limits, a
 * log line.
 */
@Configuration(proxyBeanMethods = false)
class RequestConfiguration {

	@Bean
	AccessLog accessLog(AccessLogSettings settings) {
		return new AccessLog(settings);
	}

	@Bean
	RequestIdentity requestIdentity() {
		return new RequestIdentity();
	}

	@Bean
	Http10KeepAlive http10KeepAlive() {
		return new Http10KeepAlive();
	}

	/** Slow or silent clients cannot hold a connection (and a body buffer) forever. */
	@Bean
	NettyServerCustomizer clientReadTimeouts(RequestSettings settings) {
		return (server) -> server.idleTimeout(settings.readTimeout()).readTimeout(settings.readTimeout());
	}

	/**
	 * The gateway's own header limit must sit below the server's: the server refuses what
	 * is over its limit before any filter runs, with a bare status instead of a problem.
	 */
	@Bean
	RequestHeaderLimit requestHeaderLimit(RequestSettings settings, ObjectProvider<ServerProperties> server) {
		ServerProperties properties = server.getIfAvailable();
		if (properties != null && properties.getMaxHttpRequestHeaderSize() != null
				&& settings.maxHeaderSize().toBytes() >= properties.getMaxHttpRequestHeaderSize().toBytes()) {
			throw new IllegalStateException("servinglayer.gateway.requests.max-header-size (" + settings.maxHeaderSize()
					+ ") must be below server.max-http-request-header-size (" + properties.getMaxHttpRequestHeaderSize()
					+ ")");
		}
		return new RequestHeaderLimit(settings);
	}

	@Bean
	RequestSizeLimit requestSizeLimit(RequestSettings settings) {
		return new RequestSizeLimit(settings);
	}

}
