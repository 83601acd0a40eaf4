package io.servinglayer.controlplane.client;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Authenticates clients at the token endpoint in place of the authorization server's own
 * secret check: it accepts the previous secret during a rotation's grace period, refuses
 * disabled clients, and locks a client id out from an address for a while after repeated
 * bad secrets from there, without touching other clients or addresses.
 */
@Component
public class ClientSecretCheck implements AuthenticationProvider {

	private final ClientService clients;

	private final RegisteredClients registeredClients;

	ClientSecretCheck(ClientService clients, RegisteredClients registeredClients) {
		this.clients = clients;
		this.registeredClients = registeredClients;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		OAuth2ClientAuthenticationToken request = (OAuth2ClientAuthenticationToken) authentication;
		ClientAuthenticationMethod method = request.getClientAuthenticationMethod();
		if (!ClientAuthenticationMethod.CLIENT_SECRET_BASIC.equals(method)
				&& !ClientAuthenticationMethod.CLIENT_SECRET_POST.equals(method)) {
			return null;
		}
		String clientId = String.valueOf(request.getPrincipal());
		try {
			ApiClient client = this.clients.authenticate(clientId,
					(request.getCredentials() != null) ? request.getCredentials().toString() : null, source(request));
			return new OAuth2ClientAuthenticationToken(this.registeredClients.registered(client), method,
					request.getCredentials());
		}
		catch (ClientAuthenticationException ex) {
			throw new ClientRefusedException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, ex.getMessage(), null),
					ex.retryAfterSeconds());
		}
	}

	/**
	 * The caller's address, from the details the token endpoint's filter gives every
	 * client authentication request.
	 */
	private static String source(Authentication request) {
		return (request.getDetails() instanceof WebAuthenticationDetails details && details.getRemoteAddress() != null)
				? details.getRemoteAddress() : "unknown";
	}

	/**
	 * A refused client authentication, saying how long a locked-out client must wait (0
	 * when it need not).
	 */
	public static final class ClientRefusedException extends OAuth2AuthenticationException {

		private final long retryAfterSeconds;

		ClientRefusedException(OAuth2Error error, long retryAfterSeconds) {
			super(error, error.getDescription());
			this.retryAfterSeconds = retryAfterSeconds;
		}

		public long retryAfterSeconds() {
			return this.retryAfterSeconds;
		}

	}

	@Override
	public boolean supports(Class<?> authentication) {
		return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
