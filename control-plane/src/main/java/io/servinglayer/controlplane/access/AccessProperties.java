package io.servinglayer.controlplane.access;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the built-in authorization server and of who the admin API trusts.
 *
 * @param issuer the {@code iss} of tokens this control plane issues; the URL clients
 * reach it at
 * @param audience the {@code aud} of issued tokens, and the audience every accepted token
 * must name
 * @param externalIssuers other OIDC issuers whose tokens the admin API accepts
 */
@ConfigurationProperties("servinglayer.control-plane.access")
public record AccessProperties(@DefaultValue("http://127.0.0.1:8081") String issuer,
		@DefaultValue("servinglayer") String audience, @DefaultValue List<ExternalIssuer> externalIssuers) {

	/**
	 * Another OIDC issuer (Keycloak, Auth0, Entra ID…) whose tokens the admin API
	 * accepts.
	 *
	 * @param issuerUri the issuer's {@code iss}; its keys are found through OIDC
	 * discovery
	 * @param audience the audience its tokens must carry for us
	 * @param scopesClaim the claim that carries scopes: a space-separated string or a
	 * list ({@code scope} for Keycloak and Auth0, {@code scp} or {@code roles} for Entra
	 * ID)
	 * @param clientIdClaim the claim naming the caller ({@code azp}, {@code client_id} or
	 * {@code appid})
	 */
	public record ExternalIssuer(String issuerUri, String audience, @DefaultValue("scope") String scopesClaim,
			@DefaultValue("azp") String clientIdClaim) {

		public ExternalIssuer {
			if (issuerUri == null || issuerUri.isBlank()) {
				throw new IllegalArgumentException(
						"servinglayer.control-plane.access.external-issuers[].issuer-uri is required");
			}
		}

	}

}
