package io.servinglayer.controlplane.client;

import java.util.UUID;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;

/**
 * Shows the authorization server our API clients as the registered clients it
 * understands. Clients are managed through the clients API, so the authorization server
 * never saves one.
 */
@Component
public class RegisteredClients implements RegisteredClientRepository {

	/**
	 * The {@link ClientSettings} key under which a registered client carries its tenant.
	 */
	public static final String TENANT_SETTING = "servinglayer.tenant";

	private final ClientService clients;

	private final ClientProperties settings;

	RegisteredClients(ClientService clients, ClientProperties settings) {
		this.clients = clients;
		this.settings = settings;
	}

	@Override
	public void save(RegisteredClient registeredClient) {
		throw new UnsupportedOperationException("clients are managed through /api/v1/clients");
	}

	@Override
	public RegisteredClient findById(String id) {
		return findByClientId(id);
	}

	@Override
	public RegisteredClient findByClientId(String clientId) {
		return this.clients.find(clientId).map(this::registered).orElse(null);
	}

	RegisteredClient registered(ApiClient client) {
		return RegisteredClient.withId(client.clientId())
			.clientId(client.clientId())
			// Never checked against: secrets are checked by ClientSecretCheck, which
			// knows rotations.
			.clientSecret("{noop}" + UUID.randomUUID())
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scopes((scopes) -> scopes.addAll(client.scopes()))
			.clientSettings(ClientSettings.builder().setting(TENANT_SETTING, client.tenant()).build())
			.tokenSettings(TokenSettings.builder()
				.accessTokenTimeToLive(this.settings.accessTokenTtl())
				.accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
				.build())
			.build();
	}

}
