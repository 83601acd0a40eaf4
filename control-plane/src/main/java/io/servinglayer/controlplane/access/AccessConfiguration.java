package io.servinglayer.controlplane.access;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.controlplane.client.ClientSecretCheck;
import io.servinglayer.controlplane.client.Scopes;
import io.servinglayer.controlplane.client.RegisteredClients;
import io.servinglayer.controlplane.signingkey.SigningKeys;
import io.servinglayer.controlplane.system.ProblemWriter;
import io.servinglayer.controlplane.user.ConsoleSessions;
import io.servinglayer.controlplane.user.ConsoleSignIn;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.client.RestTemplate;

/**
 * Who may do what. Two filter chains: the authorization server's endpoints
 * ({@code /oauth2/token}, the JWKS, metadata), and everything else, where the admin API
 * takes bearer tokens from the built-in issuer or a configured external one and each path
 * needs its scopes.
 */
@Configuration(proxyBeanMethods = false)
class AccessConfiguration {

	private static final String[] READERS = Scopes
		.authorities(List.of(Scopes.REGISTRY_READ, Scopes.REGISTRY_WRITE, Scopes.DEPLOY, Scopes.ADMIN));

	private static final String[] WRITERS = Scopes.authorities(List.of(Scopes.REGISTRY_WRITE, Scopes.ADMIN));

	private static final String[] UPLOADERS = Scopes
		.authorities(List.of(Scopes.REGISTRY_WRITE, Scopes.DEPLOY, Scopes.ADMIN));

	private static final String[] DEPLOYERS = Scopes.authorities(List.of(Scopes.DEPLOY, Scopes.ADMIN));

	private static final String[] ROUTING_READERS = Scopes
		.authorities(List.of(Scopes.ROUTING_READ, Scopes.REGISTRY_READ, Scopes.DEPLOY, Scopes.ADMIN));

	private static final String[] FEATURE_WRITERS = Scopes
		.authorities(List.of(Scopes.FEATURES_WRITE, Scopes.REGISTRY_WRITE, Scopes.ADMIN));

	private static final String ADMIN = "SCOPE_" + Scopes.ADMIN;

	/**
	 * What the console's pages may load and run: their own files and the WebJars the
	 * control plane serves (uPlot), nothing inline and nothing from elsewhere, so an API
	 * value that slipped into the page as markup could not run.
	 */
	static final String CONSOLE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
			+ "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

	@Bean
	@Order(1)
	SecurityFilterChain authorizationServer(HttpSecurity http, RegisteredClients clients, ClientSecretCheck secrets,
			JsonMapper json, MeterRegistry meters) throws Exception {
		// One writer of the token endpoint's errors, for the client's authentication and
		// the
		// grant alike.
		TokenErrorResponses errors = new TokenErrorResponses(json, meters);
		http.oauth2AuthorizationServer((server) -> {
			server.registeredClientRepository(clients);
			server.authorizationService(new StatelessAuthorizations());
			server.clientAuthentication((authentication) -> authentication.authenticationProviders((providers) -> {
				providers.removeIf(ClientSecretAuthenticationProvider.class::isInstance);
				providers.add(0, secrets);
			}).errorResponseHandler(errors));
			server
				.tokenEndpoint((token) -> token.authenticationProviders((providers) -> providers.forEach((provider) -> {
					if (provider instanceof OAuth2ClientCredentialsAuthenticationProvider clientCredentials) {
						clientCredentials.setAuthenticationValidator(new RequestedScopes());
					}
				})).errorResponseHandler(errors));
			http.securityMatcher(server.getEndpointsMatcher());
		});
		http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
		http.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain adminApi(HttpSecurity http, AuthenticationManagerByIssuer managers, ProblemWriter problems,
			ConsoleSignIn consoleSignIn, ConsoleSessions consoleSessions) throws Exception {
		ProblemResponses responses = new ProblemResponses(problems);
		http.authorizeHttpRequests((requests) -> requests
			// Who am I: any caller who is signed in or holds a token, before the users
			// API's admin-only rule.
			.requestMatchers(HttpMethod.GET, "/api/v1/users/me")
			.authenticated()
			.requestMatchers("/api/v1/clients", "/api/v1/clients/**", "/api/v1/users", "/api/v1/users/**",
					"/api/v1/signing-keys:rotate", "/api/v1/audit", "/api/v1/audit/**")
			.hasAuthority(ADMIN)
			// The data plane reads the snapshot, downloads the artifacts it names and
			// reads their versions' training baselines, nothing else.
			.requestMatchers(HttpMethod.GET, "/api/v1/routing", "/api/v1/models/*/versions/*/artifact",
					"/api/v1/models/*/versions/*/baseline")
			.hasAnyAuthority(ROUTING_READERS)
			.requestMatchers(HttpMethod.GET, "/api/v1/**")
			.hasAnyAuthority(READERS)
			.requestMatchers(HttpMethod.POST, "/api/v1/models/*/versions")
			.hasAnyAuthority(UPLOADERS)
			.requestMatchers(HttpMethod.POST, "/api/v1/feature-views/*/versions/*/rows")
			.hasAnyAuthority(FEATURE_WRITERS)
			.requestMatchers("/api/v1/models", "/api/v1/models/**", "/api/v1/feature-views", "/api/v1/feature-views/**")
			.hasAnyAuthority(WRITERS)
			.requestMatchers("/api/v1/deployments", "/api/v1/deployments/**")
			.hasAnyAuthority(DEPLOYERS)
			.requestMatchers("/api/**")
			.hasAuthority(ADMIN)
			.requestMatchers("/admin", "/admin/**")
			.authenticated()
			// API docs, health and metrics are open; the login page must be.
			.anyRequest()
			.permitAll())
			// Programs call with bearer tokens; people use the console with a session
			// from the login form,
			// backed by the same user store, and their scopes are checked by the same
			// rules.
			.oauth2ResourceServer((resourceServer) -> resourceServer
				.authenticationManagerResolver(new JwtIssuerAuthenticationManagerResolver(managers::forIssuer))
				.authenticationEntryPoint(responses)
				.accessDeniedHandler(responses))
			.formLogin(
					(login) -> login.defaultSuccessUrl("/admin/", false).failureHandler(new SignInFailures(problems)))
			// The login form's only check, with its lockout and audit: no parent manager
			// tries the password again.
			.authenticationManager(new ProviderManager(consoleSignIn))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
			.headers((headers) -> headers.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
					(request) -> "/admin".equals(request.getServletPath())
							|| request.getServletPath().startsWith("/admin/"),
					new StaticHeadersWriter("Content-Security-Policy", CONSOLE_POLICY))))
			// Each request on a session looks its user up: a disabled user's session
			// ends, as does one older than a password reset; new roles apply at once.
			.addFilterAfter(new ConsoleSessionCheck(consoleSessions), SecurityContextHolderFilter.class)
			// Signing out is a POST with the CSRF token (the console sends it in the
			// X-XSRF-TOKEN header; GET /logout shows a page whose form does), so that
			// another site cannot sign a person out. It lands on /login?logout, the
			// default, which the generated login page answers only while the success URL
			// is left as it is (a custom one, even the same, makes it a 404).
			.logout((logout) -> logout.deleteCookies("JSESSIONID"))
			// Only a call riding on a session carries an ambient credential a forged
			// request could use:
			// bearer-token calls and calls without a session need no CSRF token (the
			// login form still does).
			// spa(): the token travels in the XSRF-TOKEN cookie and comes back in the
			// X-XSRF-TOKEN header.
			.csrf((csrf) -> csrf.spa()
				.ignoringRequestMatchers((request) -> request.getHeader(HttpHeaders.AUTHORIZATION) != null
						|| (request.getSession(false) == null && !"/login".equals(request.getServletPath()))))
			.exceptionHandling((exceptions) -> exceptions
				.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
						PathPatternRequestMatcher.pathPattern("/admin/**"))
				.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
						PathPatternRequestMatcher.pathPattern("/admin"))
				.defaultAuthenticationEntryPointFor(responses, (request) -> true)
				.accessDeniedHandler(responses));
		return http.build();
	}

	@Bean
	AuthorizationServerSettings authorizationServerSettings(AccessProperties access) {
		return AuthorizationServerSettings.builder().issuer(access.issuer()).build();
	}

	/**
	 * Validates tokens of the built-in issuer against the keys in the database, without a
	 * network call.
	 */
	@Bean
	JwtDecoder jwtDecoder(SigningKeys keys, AccessProperties access) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys).build();
		decoder.setJwtValidator(validator(access.issuer(), access.audience()));
		return decoder;
	}

	@Bean
	AuthenticationManagerByIssuer authenticationManagerByIssuer(JwtDecoder builtIn, AccessProperties access) {
		return new AuthenticationManagerByIssuer(builtIn, access);
	}

	static OAuth2TokenValidator<Jwt> validator(String issuer, String audience) {
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(JwtValidators.createDefaultWithIssuer(issuer));
		if (audience != null) {
			validators.add(new JwtClaimValidator<List<String>>("aud", (aud) -> aud != null && aud.contains(audience)));
		}
		return new DelegatingOAuth2TokenValidator<>(validators);
	}

	/**
	 * One authentication manager per trusted issuer: the built-in one, and each external
	 * issuer, whose keys are fetched through OIDC discovery with bounded timeouts the
	 * first time one of its tokens arrives. A token from any other issuer is refused
	 * without a network call.
	 */
	static final class AuthenticationManagerByIssuer {

		private final Map<String, AuthenticationManager> managers = new HashMap<>();

		AuthenticationManagerByIssuer(JwtDecoder builtIn, AccessProperties access) {
			this.managers.put(access.issuer(), manager(builtIn, "scope", "sub"));
			for (AccessProperties.ExternalIssuer external : access.externalIssuers()) {
				JwtDecoder decoder = new LazyJwtDecoder(() -> {
					NimbusJwtDecoder remote = NimbusJwtDecoder.withIssuerLocation(external.issuerUri())
						.restOperations(restWithTimeouts())
						.build();
					remote.setJwtValidator(validator(external.issuerUri(), external.audience()));
					return remote;
				});
				this.managers.put(external.issuerUri(),
						manager(decoder, external.scopesClaim(), external.clientIdClaim()));
			}
		}

		AuthenticationManager forIssuer(String issuer) {
			return this.managers.get(issuer);
		}

		private static AuthenticationManager manager(JwtDecoder decoder, String scopesClaim, String principalClaim) {
			JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
			authorities.setAuthoritiesClaimName(scopesClaim);
			JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
			converter.setJwtGrantedAuthoritiesConverter(authorities);
			converter.setPrincipalClaimName(principalClaim);
			JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
			provider.setJwtAuthenticationConverter(converter);
			return new ProviderManager(provider);
		}

		private static RestTemplate restWithTimeouts() {
			SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
			requests.setConnectTimeout(Duration.ofSeconds(3));
			requests.setReadTimeout(Duration.ofSeconds(5));
			return new RestTemplate(requests);
		}

	}

}
