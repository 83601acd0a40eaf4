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
 * @param verifiedTokenMaxAge how long a verified token is answered from memory (never
 * past its {@code exp}); {@code 0s} verifies every request
 * @param maxVerifiedTokens the most verified tokens held in memory
 */
@ConfigurationProperties("servinglayer.gateway.access")
public record AccessSettings(@DefaultValue("http://127.0.0.1:8081") URI issuer, URI jwkSetUri,
		@DefaultValue("servinglayer") String audience, @DefaultValue("predict:pinned") String pinnedScope,
		@DefaultValue("5s") Duration jwksTimeout, @DefaultValue("5m") Duration verifiedTokenMaxAge,
		@DefaultValue("10000") int maxVerifiedTokens) {

	public AccessSettings {
		if (verifiedTokenMaxAge.isNegative() || maxVerifiedTokens < 1) {
			throw new IllegalArgumentException("servinglayer.gateway.access.verified-token-max-age must not be negative"
					+ " and max-verified-tokens must be positive");
		}
		if (jwkSetUri == null) {
			jwkSetUri = URI.create(issuer.toString().replaceAll("/+$", "") + "/oauth2/jwks");
		}
	}

}
