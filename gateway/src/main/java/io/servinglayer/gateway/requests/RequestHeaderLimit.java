package io.servinglayer.gateway.requests;

import io.servinglayer.gateway.system.FilterOrder;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses a request whose header fields add up to more than
 * {@code servinglayer.gateway.requests.max-header-size}, with 431 and a problem document.
 *
 * <p>
 * Why a filter, when the server's decoder has a limit of its own: Reactor Netty refuses
 * headers over {@code server.max-http-request-header-size} before any of the gateway's
 * code runs, with nothing the gateway can shape. On HTTP/1.1 that is a 431 with an empty
 * body and the connection closed; on HTTP/2 a 431 without a body, or, a quarter or more
 * over the limit, the whole connection ended with GOAWAY. So the decoder's limit is set
 * well above this one and only stops the absurd; every request under it that is over this
 * limit gets a proper answer, on either protocol.
 */
public class RequestHeaderLimit implements WebFilter, Ordered {

	/** ": " and CRLF around each field on an HTTP/1.1 wire. */
	private static final int FIELD_OVERHEAD = 4;

	private final RequestSettings settings;

	RequestHeaderLimit(RequestSettings settings) {
		this.settings = settings;
	}

	@Override
	public int getOrder() {
		// After the request id (so the refusal carries one), before the body limit and
		// authentication.
		return FilterOrder.REQUEST_HEADER_LIMIT;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		long limit = this.settings.maxHeaderSize().toBytes();
		long size = 0;
		for (Map.Entry<String, List<String>> field : exchange.getRequest().getHeaders().headerSet()) {
			for (String value : field.getValue()) {
				size += field.getKey().length() + value.length() + FIELD_OVERHEAD;
			}
			if (size > limit) {
				return Mono.error(new RequestHeadersTooLargeException(this.settings.maxHeaderSize()));
			}
		}
		return chain.filter(exchange);
	}

	/** The bytes of {@code headers} as an HTTP/1.1 wire would carry them. */
	public static long size(io.netty.handler.codec.http.HttpHeaders headers) {
		long size = 0;
		// Read as the decoder stored them: no string made per header.
		for (java.util.Iterator<Map.Entry<CharSequence, CharSequence>> fields = headers.iteratorCharSequence(); fields
			.hasNext();) {
			Map.Entry<CharSequence, CharSequence> field = fields.next();
			size += field.getKey().length() + field.getValue().length() + FIELD_OVERHEAD;
		}
		return size;
	}

}
