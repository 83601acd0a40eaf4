package io.servinglayer.gateway.access;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A verified token with what the model-call path reads of it on every request, read once
 * when the token is verified rather than per request.
 *
 * @param clientId the token's {@code client_id}, its {@code sub} when absent
 * @param scopes the token's scopes, read as Spring Security's default converter reads
 * them
 */
record VerifiedCaller(Jwt jwt, String clientId, Set<String> scopes) {

	static VerifiedCaller of(Jwt jwt) {
		return new VerifiedCaller(jwt, Caller.clientId(jwt), scopes(jwt));
	}

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
		return Set.copyOf(scopes);
	}

}
