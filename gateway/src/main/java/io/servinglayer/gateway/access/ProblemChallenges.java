package io.servinglayer.gateway.access;

import io.servinglayer.gateway.system.ProblemWriter;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * 401 and 403 as problem documents, each with the {@code WWW-Authenticate} challenge RFC
 * 6750 asks for. The detail never repeats the token.
 */
class ProblemChallenges implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

	private final ProblemWriter writer;

	private final String pinnedScope;

	ProblemChallenges(ProblemWriter writer, String pinnedScope) {
		this.writer = writer;
		this.pinnedScope = pinnedScope;
	}

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
		boolean tokenSent = failure instanceof OAuth2AuthenticationException;
		exchange.getResponse()
			.getHeaders()
			.set(HttpHeaders.WWW_AUTHENTICATE, tokenSent
					? "Bearer realm=\"servinglayer\", error=\"invalid_token\", error_description=\"The token is not valid\""
					: "Bearer realm=\"servinglayer\"");
		return this.writer.write(exchange, HttpStatus.UNAUTHORIZED, tokenSent ? "invalid-token" : "unauthenticated",
				"Unauthorized", tokenSent ? "the bearer token is not valid: expired, not ours, or not for this audience"
						: "send a bearer token from the control plane's /oauth2/token");
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
		boolean pinned = exchange.getRequest().getPath().value().contains("/versions/");
		String needed = pinned ? "predict " + this.pinnedScope : "predict";
		exchange.getResponse()
			.getHeaders()
			.set(HttpHeaders.WWW_AUTHENTICATE,
					"Bearer realm=\"servinglayer\", error=\"insufficient_scope\", scope=\"" + needed + "\"");
		return this.writer.write(exchange, HttpStatus.FORBIDDEN, "insufficient-scope", "Forbidden",
				"this call needs scope predict or predict:{model}"
						+ (pinned ? ", and " + this.pinnedScope + " to name a version" : "")
						+ "; a disabled client is refused too");
	}

}
