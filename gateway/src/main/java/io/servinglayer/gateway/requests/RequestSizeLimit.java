package io.servinglayer.gateway.requests;

import io.servinglayer.gateway.system.FilterOrder;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses a body over the limit: at once when {@code Content-Length} says so, and while
 * reading when a chunked body grows past it.
 */
class RequestSizeLimit implements WebFilter, Ordered {

	private final RequestSettings settings;

	RequestSizeLimit(RequestSettings settings) {
		this.settings = settings;
	}

	@Override
	public int getOrder() {
		return FilterOrder.REQUEST_SIZE_LIMIT;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		long limit = this.settings.maxBodySize().toBytes();
		long declared = exchange.getRequest().getHeaders().getContentLength();
		if (declared > limit) {
			return Mono.error(new RequestTooLargeException(this.settings.maxBodySize()));
		}
		if (declared >= 0) {
			return chain.filter(exchange);
		}
		AtomicLong read = new AtomicLong();
		ServerHttpRequestDecorator counted = new ServerHttpRequestDecorator(exchange.getRequest()) {
			@Override
			public Flux<DataBuffer> getBody() {
				return super.getBody().handle((buffer, sink) -> {
					if (read.addAndGet(buffer.readableByteCount()) > limit) {
						DataBufferUtils.release(buffer);
						sink.error(new RequestTooLargeException(RequestSizeLimit.this.settings.maxBodySize()));
					}
					else {
						sink.next(buffer);
					}
				});
			}
		};
		return chain.filter(exchange.mutate().request(counted).build());
	}

}
