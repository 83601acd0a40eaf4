package io.servinglayer.gateway.access;

import io.servinglayer.gateway.system.ProblemWriter;
import reactor.core.publisher.Mono;

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
		return this.writer.write(exchange, (failure instanceof OAuth2AuthenticationException)
				? AccessRefused.invalidToken() : AccessRefused.unauthenticated());
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
		boolean pinned = exchange.getRequest().getPath().value().contains("/versions/");
		return this.writer.write(exchange, AccessRefused.insufficientScope(pinned, this.pinnedScope));
	}

}
