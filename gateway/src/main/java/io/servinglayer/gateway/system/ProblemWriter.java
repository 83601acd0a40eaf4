package io.servinglayer.gateway.system;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes every answer the gateway makes up itself as {@code application/problem+json}. On
 * the {@code /v2} paths the document also carries the Open Inference Protocol's
 * {@code error} member, so protocol clients read the message where they expect it.
 */
@Component
public class ProblemWriter {

	public static final String TYPE_BASE = "https://servinglayer.dev/problems/";

	public static final MediaType PROBLEM_JSON = MediaType.valueOf("application/problem+json");

	private final JsonMapper json = JsonMapper.builder().build();

	public Mono<Void> write(ServerWebExchange exchange, GatewayProblem problem) {
		problem.addHeaders(exchange.getResponse().getHeaders());
		return write(exchange, problem.status(), problem.kind(), problem.title(), problem.getMessage());
	}

	public Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String kind, String title, String detail) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.empty();
		}
		byte[] body = document(status, kind, title, detail, exchange.getRequest().getPath().value());
		response.setStatusCode(status);
		HttpHeaders headers = response.getHeaders();
		headers.setContentType(PROBLEM_JSON);
		headers.setContentLength(body.length);
		DataBuffer buffer = response.bufferFactory().wrap(body);
		return response.writeWith(Mono.just(buffer));
	}

	/** The problem document's bytes, for a path that writes its own answers. */
	public byte[] document(HttpStatus status, String kind, String title, String detail, String path) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("type", TYPE_BASE + kind);
		document.put("title", title);
		document.put("status", status.value());
		document.put("detail", detail);
		document.put("instance", path);
		if (path.startsWith("/v2/")) {
			document.put("error", detail);
		}
		return this.json.writeValueAsString(document).getBytes(StandardCharsets.UTF_8);
	}

}
