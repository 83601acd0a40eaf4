package io.servinglayer.inferenceservice.access;

import java.net.URI;
import java.time.Clock;
import java.util.List;

import io.servinglayer.inferenceservice.reconcile.InferenceSettings;

import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestTemplate;

/**
 * The check of model calls' tokens: issuer and keys are the control plane's unless set
 * apart, and an instance that requires tokens with no issuer to check them against does
 * not start.
 */
@Configuration(proxyBeanMethods = false)
class CallerConfiguration {

	@Bean
	CallerTokens callerTokens(CallerSettings callers, InferenceSettings inference, Clock clock) {
		if (!callers.requireToken()) {
			return CallerTokens.open();
		}
		URI issuer = (callers.issuer() != null) ? callers.issuer() : inference.controlPlane();
		if (issuer == null) {
			throw new IllegalStateException("servinglayer.inference.callers.require-token is true, but there is no "
					+ "issuer to check tokens against: set servinglayer.inference.control-plane (or "
					+ "servinglayer.inference.callers.issuer), or set require-token to false for an instance that "
					+ "anyone who reaches its port may call");
		}
		String issuerName = issuer.toString().replaceAll("/+$", "");
		URI jwkSetUri = (callers.jwkSetUri() != null) ? callers.jwkSetUri() : URI.create(issuerName + "/oauth2/jwks");
		SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
		requests.setConnectTimeout(callers.jwksTimeout());
		requests.setReadTimeout(callers.jwksTimeout());
		// The key set is kept until a token names a key it lacks (a rotation), so a
		// control
		// plane that is down does not stop calls with tokens signed by known keys.
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwkSetUri.toString())
			.restOperations(new RestTemplate(requests))
			.cache(new ConcurrentMapCache("inference-callers-jwks"))
			.build();
		String audience = callers.audience();
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuerName),
				new JwtClaimValidator<List<String>>("aud", (aud) -> aud != null && aud.contains(audience))));
		return CallerTokens.required(decoder, callers.scope(), clock, callers.maxVerifiedTokens());
	}

}
