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
	void passesTheCallersRequestIdOnAndEchoesIt() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.post("/v2/models/m/infer").header("X-Request-Id", "order-77"));

		HttpHeaders forwarded = forwardedHeaders(exchange);

		assertThat(forwarded.getFirst("X-Request-Id")).isEqualTo("order-77");
		assertThat(exchange.getResponse().getHeaders().getFirst("X-Request-Id")).isEqualTo("order-77");
	}

	@Test
	void replacesAnInsaneId() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v2/models/m/infer")
			.header("X-Request-Id", "bad id with spaces\nand a newline"));

		HttpHeaders forwarded = forwardedHeaders(exchange);

		assertThat(forwarded.getFirst("X-Request-Id")).matches("[0-9a-f-]{36}");
		assertThat(exchange.getResponse().getHeaders().getFirst("X-Request-Id"))
			.isEqualTo(forwarded.getFirst("X-Request-Id"));
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
