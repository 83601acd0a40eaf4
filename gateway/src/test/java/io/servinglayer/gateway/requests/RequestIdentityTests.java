package io.servinglayer.gateway.requests;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdentityTests {

	private final RequestIdentity identity = new RequestIdentity();

	@Test
	void passesTheCallersRequestIdAndTraceparentOnAndEchoesTheId() {
		String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v2/models/m/infer")
			.header("X-Request-Id", "order-77")
			.header("traceparent", traceparent));

		HttpHeaders forwarded = forwardedHeaders(exchange);

		assertThat(forwarded.getFirst("X-Request-Id")).isEqualTo("order-77");
		assertThat(forwarded.getFirst("traceparent")).isEqualTo(traceparent);
		assertThat(exchange.getResponse().getHeaders().getFirst("X-Request-Id")).isEqualTo("order-77");
	}

	@Test
	void replacesAMissingOrInsaneIdAndStartsATraceWhenTheCallerSentNone() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v2/models/m/infer")
			.header("X-Request-Id", "bad id with spaces\nand a newline")
			.header("traceparent", "not-a-trace"));

		HttpHeaders forwarded = forwardedHeaders(exchange);

		assertThat(forwarded.getFirst("X-Request-Id")).matches("[0-9a-f-]{36}");
		assertThat(exchange.getResponse().getHeaders().getFirst("X-Request-Id"))
			.isEqualTo(forwarded.getFirst("X-Request-Id"));
		assertThat(forwarded.getFirst("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
	}

	private HttpHeaders forwardedHeaders(MockServerWebExchange exchange) {
		AtomicReference<HttpHeaders> seen = new AtomicReference<>();
		WebFilterChain chain = (next) -> {
			seen.set(next.getRequest().getHeaders());
			return Mono.empty();
		};
		this.identity.filter(exchange, chain).block();
		return seen.get();
	}

}
