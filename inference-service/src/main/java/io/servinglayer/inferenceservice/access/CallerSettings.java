package io.servinglayer.inferenceservice.access;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the instance's model paths ({@code /v2/models/**}, {@code /v1/models/**}):
 * with {@code requireToken}, only a caller with a bearer token of the control plane that
 * carries {@code scope}, which the gateway obtains with its client credentials. Health
 * and actuator paths stay open.
 *
 * @param requireToken whether the model paths need a token; {@code false} leaves them
 * open to anyone who reaches the port
 * @param issuer the {@code iss} tokens must carry; the control plane
 * ({@code servinglayer.inference.control-plane}) when not set
 * @param jwkSetUri where the signing keys are; {@code {issuer}/oauth2/jwks} when not set
 * @param audience the {@code aud} tokens must include, as the control plane issues them
 * @param scope the scope a token must carry
 * @param jwksTimeout how long connecting to and reading the signing keys may take
 * @param maxVerifiedTokens the most verified tokens remembered, each until its
 * {@code exp}
 */
@ConfigurationProperties("servinglayer.inference.callers")
public record CallerSettings(@DefaultValue("true") boolean requireToken, URI issuer, URI jwkSetUri,
		@DefaultValue("servinglayer") String audience, @DefaultValue("inference:call") String scope,
		@DefaultValue("5s") Duration jwksTimeout, @DefaultValue("1024") int maxVerifiedTokens) {

	public CallerSettings {
		if (maxVerifiedTokens < 1) {
			throw new IllegalArgumentException(
					"servinglayer.inference.callers.max-verified-tokens must be at least 1, got " + maxVerifiedTokens);
		}
		if (jwksTimeout.isNegative() || jwksTimeout.isZero()) {
			throw new IllegalArgumentException(
					"servinglayer.inference.callers.jwks-timeout must be positive, got " + jwksTimeout);
		}
	}

}
