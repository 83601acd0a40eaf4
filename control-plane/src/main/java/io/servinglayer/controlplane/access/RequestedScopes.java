package io.servinglayer.controlplane.access;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.servinglayer.controlplane.client.Scopes;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;

/**
 * Which scopes a client may ask a token for: any of its own, and, for a client with
 * {@code predict} (every model), any narrower {@code predict:{model}}, so an application
 * can hold a token for just the model it calls (RFC 6749 section 3.3 lets a client ask
 * for less than it may have). {@code predict:pinned} is a right of its own, never
 * implied. Anything else is refused with {@code invalid_scope} and a description that
 * names the scope and the client's scopes, instead of the bare error code.
 */
final class RequestedScopes implements Consumer<OAuth2ClientCredentialsAuthenticationContext> {

	private static final String PINNED = "predict:pinned";

	@Override
	public void accept(OAuth2ClientCredentialsAuthenticationContext context) {
		Set<String> allowed = context.getRegisteredClient().getScopes();
		OAuth2ClientCredentialsAuthenticationToken request = context.getAuthentication();
		for (String requested : request.getScopes()) {
			if (!allowed(requested, allowed)) {
				throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE,
						"this client may not ask for the scope '" + requested + "'; it may ask for "
								+ String.join(", ", new TreeSet<>(allowed))
								+ (allowed.contains(Scopes.PREDICT) ? ", or predict:{model} for one model" : ""),
						null));
			}
		}
	}

	static boolean allowed(String requested, Set<String> allowed) {
		if (allowed.contains(requested)) {
			return true;
		}
		return allowed.contains(Scopes.PREDICT) && requested.startsWith(Scopes.PREDICT + ":")
				&& !requested.equals(PINNED) && Scopes.isKnown(requested);
	}

}
