package io.servinglayer.gateway.requests;

import java.util.concurrent.atomic.AtomicLong;

import io.servinglayer.gateway.access.Caller;
import io.servinglayer.gateway.system.GatewayProblem;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Reads the body of an authenticated model POST once into heap memory, releasing the
 * server's pooled buffers at once on the connection's own thread, and serves the copy to
 * everything after: the forwarded attempt, its retry, and the shadow copy.
 *
 * <p>
 * Why: with the gateway's own body caching the pooled buffers stayed alive until the end
 * of the exchange and were released from whichever thread finished it (often Redis's,
 * after a rate-limit or routing refusal); on HTTP/2 that corrupted the connection's frame
 * decoder (IllegalReferenceCountException, then GOAWAY for every stream on the
 * connection). A heap copy needs no release and is bounded by
 * {@code servinglayer.gateway.requests.max-body-size}.
 */
class BodyBuffering implements WebFilter, Ordered {

	private final RequestSettings settings;

	/** Bytes of bodies being read or held right now, over all requests. */
	private final AtomicLong buffered = new AtomicLong();

	BodyBuffering(RequestSettings settings) {
		this.settings = settings;
	}

	long bufferedBytes() {
		return this.buffered.get();
	}

	@Override
	public int getOrder() {
		// After authentication (-100) and naming the caller (-90): nobody unauthenticated
		// gets a body buffered.
		return -80;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().value();
		// Only an authenticated caller (named by the access filter) gets a body buffered.
		if (exchange.getRequest().getMethod() != HttpMethod.POST
				|| !(path.startsWith("/v2/models/") || path.startsWith("/v1/models/"))
				|| exchange.getAttribute(Caller.CLIENT_ID_ATTRIBUTE) == null) {
			return chain.filter(exchange);
		}
		int limit = (int) Math.min(Integer.MAX_VALUE, this.settings.maxBodySize().toBytes());
		long budget = this.settings.maxBufferedBodies().toBytes();
		AtomicLong held = new AtomicLong();
		Flux<DataBuffer> counted = exchange.getRequest().getBody().doOnNext((buffer) -> {
			long size = buffer.readableByteCount();
			held.addAndGet(size);
			if (this.buffered.addAndGet(size) > budget) {
				throw new BufferBudgetExceededException();
			}
		});
		return DataBufferUtils.join(counted, limit).map((joined) -> {
			byte[] bytes = new byte[joined.readableByteCount()];
			joined.read(bytes);
			DataBufferUtils.release(joined);
			return bytes;
		})
			.defaultIfEmpty(new byte[0])
			.onErrorMap(DataBufferLimitException.class,
					(ex) -> new RequestTooLargeException(this.settings.maxBodySize()))
			.flatMap((bytes) -> chain
				.filter(exchange.mutate().request(new ServerHttpRequestDecorator(exchange.getRequest()) {
					@Override
					public Flux<DataBuffer> getBody() {
						return (bytes.length == 0) ? Flux.empty()
								: Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(bytes)));
					}
				}).build()))
			.doFinally((signal) -> this.buffered.addAndGet(-held.getAndSet(0)));
	}

	/** Too many bytes of bodies are held already. */
	static final class BufferBudgetExceededException extends GatewayProblem {

		BufferBudgetExceededException() {
			super(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", "Overloaded",
					"the gateway holds too many request bodies right now; retry shortly");
		}

		@Override
		public void addHeaders(HttpHeaders headers) {
			headers.set(HttpHeaders.RETRY_AFTER, "1");
		}

	}

}
