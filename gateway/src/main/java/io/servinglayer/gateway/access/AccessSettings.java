package io.servinglayer.gateway.access;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which bearer tokens the gateway accepts.
 *
 * @param issuer the {@code iss} tokens must carry: the control plane's URL
 * @param jwkSetUri where the signing keys are; {@code {issuer}/oauth2/jwks} when not set
 * @param audience the {@code aud} tokens must include
 * @param pinnedScope the scope a caller needs, besides {@code predict} or
 * {@code predict:{model}}, to call a version by number
 * @param jwksTimeout how long fetching the signing keys may take
 */
@ConfigurationProperties("servinglayer.gateway.access")
public record AccessSettings(@DefaultValue("http://127.0.0.1:8081") URI issuer, URI jwkSetUri,
		@DefaultValue("servinglayer") String audience, @DefaultValue("predict:pinned") String pinnedScope,
		@DefaultValue("5s") Duration jwksTimeout) {

	public AccessSettings {
		if (jwkSetUri == null) {
			jwkSetUri = URI.create(issuer.toString().replaceAll("/+$", "") + "/oauth2/jwks");
		}
	}

}
