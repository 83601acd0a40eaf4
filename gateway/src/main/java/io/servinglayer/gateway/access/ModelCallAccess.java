package io.servinglayer.gateway.access;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import io.servinglayer.gateway.routing.Routing;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * The access rules of the model-call path, the same as Spring Security applies on the
 * generic chain ({@link AccessConfiguration}): the bearer token by {@link BearerTokens},
 * verified by the same decoder behind the same {@link VerifiedTokens} memory, and the
 * scopes by {@link ModelScopes}. A remembered token is checked without leaving the
 * calling thread.
 */
public final class ModelCallAccess {

	private final VerifiedTokens tokens;

	private final Routing routing;

	private final String pinnedScope;

	private final AccessRefusals refusals;

	ModelCallAccess(VerifiedTokens tokens, Routing routing, String pinnedScope, AccessRefusals refusals) {
		this.tokens = tokens;
		this.routing = routing;
		this.pinnedScope = pinnedScope;
		this.refusals = refusals;
	}

	/**
	 * The calling client's id, or an {@link AccessRefused} (401, 403) or a 503 when the
	 * signing keys cannot be fetched.
	 * @param authorization the {@code Authorization} header, {@code null} when absent
	 * @param pinned whether the path names a version
	 */
	public Mono<String> check(String authorization, String model, boolean pinned) {
		BearerTokenAuthenticationToken bearer;
		try {
			bearer = BearerTokens.token(authorization);
		}
		catch (OAuth2AuthenticationException ex) {
			this.refusals.count(AccessRefusals.Reason.MALFORMED);
			return Mono.error(AccessRefused.invalidToken());
		}
		if (bearer == null) {
			this.refusals.count(AccessRefusals.Reason.MISSING);
			return Mono.error(AccessRefused.unauthenticated());
		}
		String token = bearer.getToken();
		Jwt remembered = this.tokens.remembered(token);
		if (remembered != null) {
			return allowed(remembered, model, pinned);
		}
		return this.tokens.decode(token).onErrorMap(JwtException.class, (ex) -> {
			if (ex instanceof BadJwtException) {
				this.refusals.count(AccessRefusals.invalidOrExpired(ex));
				return AccessRefused.invalidToken();
			}
			return new TokenKeysUnavailableException();
		}).flatMap((jwt) -> allowed(jwt, model, pinned));
	}

	private Mono<String> allowed(Jwt jwt, String model, boolean pinned) {
		String clientId = Caller.clientId(jwt);
		if (!ModelScopes.allowed(scopes(jwt), clientId, model, pinned, this.pinnedScope, this.routing.table())) {
			this.refusals.count(AccessRefusals.Reason.INSUFFICIENT_SCOPE);
			return Mono.error(AccessRefused.insufficientScope(pinned, this.pinnedScope));
		}
		return Mono.just(clientId);
	}

	/** The token's scopes, read as Spring Security's default converter reads them. */
	static Set<String> scopes(Jwt jwt) {
		Object claim = jwt.getClaims().get("scope");
		if (claim == null) {
			claim = jwt.getClaims().get("scp");
		}
		Set<String> scopes = new HashSet<>();
		if (claim instanceof String text) {
			for (String scope : text.split(" ")) {
				if (!scope.isEmpty()) {
					scopes.add(scope);
				}
			}
		}
		else if (claim instanceof Collection<?> values) {
			for (Object value : values) {
				scopes.add(String.valueOf(value));
			}
		}
		return scopes;
	}

}
