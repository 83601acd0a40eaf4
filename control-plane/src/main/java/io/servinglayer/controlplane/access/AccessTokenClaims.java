package io.servinglayer.controlplane.access;

import java.util.List;

import io.servinglayer.controlplane.client.RegisteredClients;
import io.servinglayer.controlplane.signingkey.SigningKeys;

import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

/**
 * Shapes issued access tokens: signed with the current key (named in {@code kid}), for
 * our audience, with {@code client_id}, {@code tenant} and the scopes. A request that
 * names no scopes gets all of the client's scopes, as most authorization servers do.
 */
@Component
class AccessTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

	private final SigningKeys keys;

	private final AccessProperties access;

	AccessTokenClaims(SigningKeys keys, AccessProperties access) {
		this.keys = keys;
		this.access = access;
	}

	@Override
	public void customize(JwtEncodingContext context) {
		if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
			return;
		}
		RegisteredClient client = context.getRegisteredClient();
		context.getJwsHeader().keyId(this.keys.currentKeyId());
		context.getClaims()
			.audience(List.of(this.access.audience()))
			.claim("client_id", client.getClientId())
			.claim("tenant",
					String.valueOf(client.getClientSettings().<String>getSetting(RegisteredClients.TENANT_SETTING)));
		if (context.getAuthorizedScopes().isEmpty()) {
			context.getClaims().claim("scope", List.copyOf(client.getScopes()));
		}
	}

}
