package io.servinglayer.gateway.access;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;

/**
 * Takes the token from {@code Authorization: Bearer}, with the same rules as Spring
 * Security's converter (RFC 6750's token characters, the scheme case-insensitive, no
 * token in the query or form) but without its regular expression, which on a token of
 * several hundred characters cost a noticeable share of a request (BENCHMARKS.md,
 * "Gateway overhead").
 */
final class BearerTokens implements ServerAuthenticationConverter {

	private static final String SCHEME = "Bearer ";

	@Override
	public Mono<Authentication> convert(ServerWebExchange exchange) {
		return Mono.fromCallable(() -> token(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION)));
	}

	/** The token, {@code null} when there is no bearer credential at all. */
	static BearerTokenAuthenticationToken token(String authorization) {
		String token = credential(authorization);
		if (token == null) {
			return null;
		}
		if (!wellFormed(token)) {
			throw new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("Bearer token is malformed"));
		}
		return new BearerTokenAuthenticationToken(token);
	}

	/**
	 * The text after the {@code Bearer} scheme, not yet checked, or {@code null} when
	 * there is no bearer credential at all.
	 */
	static String credential(String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
			return null;
		}
		return authorization.substring(SCHEME.length());
	}

	/** {@code b64token} of RFC 6750: {@code 1*( ALPHA / DIGIT / "-._~+/" ) *"="}. */
	static boolean wellFormed(String token) {
		int length = token.length();
		int end = length;
		while (end > 0 && token.charAt(end - 1) == '=') {
			end--;
		}
		if (end == 0) {
			return false;
		}
		for (int i = 0; i < end; i++) {
			char c = token.charAt(i);
			boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
			if (!allowed) {
				return false;
			}
		}
		return true;
	}

}
