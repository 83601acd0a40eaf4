package io.servinglayer.gateway.requests;

import io.servinglayer.gateway.system.FilterOrder;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpVersion;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Says {@code Connection: keep-alive} to an HTTP/1.0 client that asked to keep its
 * connection: the server keeps it open either way, but an HTTP/1.0 client (ApacheBench,
 * old load balancers' health checks) takes an answer without the header as the last on
 * the connection and waits for a close that never comes.
 */
public final class Http10KeepAlive implements WebFilter, Ordered {

	@Override
	public int getOrder() {
		return FilterOrder.HTTP10_KEEP_ALIVE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
		if (request instanceof HttpServerRequest server && asked(server)) {
			exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "keep-alive");
		}
		return chain.filter(exchange);
	}

	/** Whether the request is HTTP/1.0 asking to keep its connection. */
	public static boolean asked(HttpServerRequest request) {
		return request.version() == HttpVersion.HTTP_1_0 && request.requestHeaders()
			.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE, true);
	}

}
