package io.servinglayer.gateway.access;

import io.servinglayer.gateway.routing.Routing;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtException;

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
		String token = BearerTokens.credential(authorization);
		if (token == null) {
			this.refusals.count(AccessRefusals.Reason.MISSING);
			return Mono.error(AccessRefused.unauthenticated());
		}
		// A remembered token was well formed when it was verified: the same text needs no
		// second look at each of its characters.
		VerifiedCaller remembered = this.tokens.remembered(token);
		if (remembered != null) {
			return allowed(remembered, model, pinned);
		}
		if (!BearerTokens.wellFormed(token)) {
			this.refusals.count(AccessRefusals.Reason.MALFORMED);
			return Mono.error(AccessRefused.invalidToken());
		}
		return this.tokens.verify(token).onErrorMap(JwtException.class, (ex) -> {
			if (ex instanceof BadJwtException) {
				this.refusals.count(AccessRefusals.invalidOrExpired(ex));
				return AccessRefused.invalidToken();
			}
			return new TokenKeysUnavailableException();
		}).flatMap((caller) -> allowed(caller, model, pinned));
	}

	private Mono<String> allowed(VerifiedCaller caller, String model, boolean pinned) {
		if (!ModelScopes.allowed(caller.scopes(), caller.clientId(), model, pinned, this.pinnedScope,
				this.routing.table())) {
			this.refusals.count(AccessRefusals.Reason.INSUFFICIENT_SCOPE);
			return Mono.error(AccessRefused.insufficientScope(pinned, this.pinnedScope));
		}
		return Mono.just(caller.clientId());
	}

}
