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

	private final String feedbackScope;

	private final AccessRefusals refusals;

	ProblemChallenges(ProblemWriter writer, String pinnedScope, String feedbackScope, AccessRefusals refusals) {
		this.writer = writer;
		this.pinnedScope = pinnedScope;
		this.feedbackScope = feedbackScope;
		this.refusals = refusals;
	}

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
		boolean presented = failure instanceof OAuth2AuthenticationException;
		this.refusals.count(presented ? AccessRefusals.invalidOrExpired(failure) : AccessRefusals.Reason.MISSING);
		return this.writer.write(exchange, presented ? AccessRefused.invalidToken() : AccessRefused.unauthenticated());
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
		this.refusals.count(AccessRefusals.Reason.INSUFFICIENT_SCOPE);
		String path = exchange.getRequest().getPath().value();
		if (path.endsWith(":feedback")) {
			return this.writer.write(exchange, AccessRefused.insufficientFeedbackScope(this.feedbackScope));
		}
		boolean pinned = path.contains("/versions/");
		return this.writer.write(exchange, AccessRefused.insufficientScope(pinned, this.pinnedScope));
	}

}
