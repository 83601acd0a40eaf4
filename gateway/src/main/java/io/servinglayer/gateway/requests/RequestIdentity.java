package io.servinglayer.gateway.requests;

import io.servinglayer.gateway.system.FilterOrder;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a sane token,
 * else a new one, echoed on the answer and passed to the instance. The trace is
 * Micrometer Tracing's: the exchange's observation continues the caller's W3C
 * {@code traceparent} or starts a trace, and Spring Cloud Gateway passes it to the
 * instance.
 */
public class RequestIdentity implements WebFilter, Ordered {

	public static final String REQUEST_ID_HEADER = "X-Request-Id";

	static final String REQUEST_ID_ATTRIBUTE = "servinglayer.request-id";

	private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	@Override
	public int getOrder() {
		return FilterOrder.REQUEST_IDENTITY;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String requestId = requestId(exchange.getRequest().getHeaders().getFirst(REQUEST_ID_HEADER));
		exchange.getAttributes().put(REQUEST_ID_ATTRIBUTE, requestId);
		exchange.getResponse().getHeaders().set(REQUEST_ID_HEADER, requestId);
		ServerWebExchange identified = exchange.mutate()
			.request((request) -> request.headers((headers) -> headers.set(REQUEST_ID_HEADER, requestId)))
			.build();
		return chain.filter(identified);
	}

	/** The caller's request id when it is a sane token, else a new one. */
	public static String requestId(String given) {
		return (given != null && SANE_ID.matcher(given).matches()) ? given : newRequestId();
	}

	/**
	 * A random (version 4) UUID from the thread's own generator: a request id must be
	 * unique, not unguessable, and {@link UUID#randomUUID()} takes a lock on the shared
	 * secure generator for every request.
	 */
	static String newRequestId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low).toString();
	}

}
