package io.servinglayer.gateway.access;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.netty.channel.ChannelOption;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.gateway.feedback.FeedbackSettings;
import io.servinglayer.gateway.routing.Endpoint;
import io.servinglayer.gateway.routing.Routing;
import io.servinglayer.gateway.system.ProblemWriter;
import reactor.netty.http.client.HttpClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The client port's access rules. Health needs no token; each model path needs a token of
 * the control plane (issuer, audience and signature checked against its JWKS) with a
 * predict scope (feedback, its own scope); every other path is left open so that it
 * reaches routing and is answered 404, the same with or without a token. Model calls
 * ({@code infer}, {@code :predict}) take the lean path ({@code modelcalls}), which
 * applies the same rules through {@link ModelCallAccess}; Spring Security's chain guards
 * the metadata and readiness paths, and any model-call request the lean path does not
 * take.
 */
@Configuration(proxyBeanMethods = false)
class AccessConfiguration {

	@Bean
	SecurityWebFilterChain clientApiSecurity(ServerHttpSecurity http, Routing routing, AccessSettings settings,
			RouteAccessSettings routes, FeedbackSettings feedback, ProblemWriter writer, VerifiedTokens tokens,
			AccessRefusals refusals) {
		ProblemChallenges challenges = new ProblemChallenges(writer, settings.pinnedScope(), feedback.scope(),
				refusals);
		ModelScopes anyVersion = ModelScopes.anyVersion(routing, settings.pinnedScope());
		// Only the model paths go through security at all: a token sent to any other path
		// is never looked at, so an unknown path is 404 with or without one.
		ServerWebExchangeMatcher pinnedPath = ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST,
				Endpoint.INFER_PINNED.path());
		List<ServerWebExchangeMatcher> secured = new ArrayList<>(List.of(pinnedPath,
				ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, Endpoint.METADATA.path(), Endpoint.READY.path()),
				ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST, Endpoint.INFER.path(),
						Endpoint.PREDICT_V1.path())));
		ServerWebExchangeMatcher feedbackPath = ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST,
				FeedbackSettings.PATH);
		secured.add(feedbackPath);
		String[] operatorPaths = routes.tokenPaths().toArray(String[]::new);
		if (operatorPaths.length > 0) {
			secured.add(ServerWebExchangeMatchers.pathMatchers(operatorPaths));
		}
		ServerWebExchangeMatcher modelPaths = new OrServerWebExchangeMatcher(secured);
		return http.securityMatcher(modelPaths)
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
			.authorizeExchange((exchanges) -> {
				exchanges.matchers(pinnedPath)
					.access(ModelScopes.pinnedVersion(routing, settings.pinnedScope()))
					.pathMatchers(Endpoint.METADATA.path(), Endpoint.READY.path(), Endpoint.INFER.path(),
							Endpoint.PREDICT_V1.path())
					.access(anyVersion)
					.matchers(feedbackPath)
					.access(FeedbackScope.of(routing, feedback.scope()));
				if (operatorPaths.length > 0) {
					exchanges.pathMatchers(operatorPaths).hasAuthority("SCOPE_" + routes.scope());
				}
				exchanges.anyExchange().denyAll();
			})
			.exceptionHandling(
					(handling) -> handling.authenticationEntryPoint(challenges).accessDeniedHandler(challenges))
			.oauth2ResourceServer((server) -> server.bearerTokenConverter(new BearerTokens())
				.authenticationEntryPoint(challenges)
				.accessDeniedHandler(challenges)
				.jwt((jwt) -> jwt.jwtDecoder(tokens)))
			.build();
	}

	/** Spring Security's strict firewall, with a cheaper check of header values. */
	@Bean
	ServerWebExchangeFirewall firewall() {
		StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
		firewall.setAllowedHeaderValues(new HeaderValues());
		return firewall;
	}

	@Bean
	Caller caller() {
		return new Caller();
	}

	@Bean
	AccessRefusals accessRefusals(MeterRegistry meters) {
		return new AccessRefusals(meters);
	}

	@Bean
	ModelCallAccess modelCallAccess(VerifiedTokens tokens, Routing routing, AccessSettings settings,
			AccessRefusals refusals) {
		return new ModelCallAccess(tokens, routing, settings.pinnedScope(), refusals);
	}

	@Bean
	VerifiedTokens verifiedTokens(AccessSettings settings) {
		return jwtDecoder(settings);
	}

	static VerifiedTokens jwtDecoder(AccessSettings settings) {
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.jwksTimeout().toMillis())
			.responseTimeout(settings.jwksTimeout());
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(settings.jwkSetUri().toString())
			.webClient(WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build())
			.build();
		String audience = settings.audience();
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
				JwtValidators.createDefaultWithIssuer(settings.issuer().toString()),
				new JwtClaimValidator<List<String>>("aud", (aud) -> aud != null && aud.contains(audience))));
		return new VerifiedTokens(decoder, Clock.systemUTC(), settings.verifiedTokenMaxAge(),
				settings.maxVerifiedTokens());
	}

}
