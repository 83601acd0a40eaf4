package io.servinglayer.gateway.access;

import java.security.Principal;

import io.servinglayer.gateway.system.FilterOrder;
import io.servinglayer.gateway.routing.ModelRequest;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Names the caller of an authenticated request in an exchange attribute, so rate limits,
 * routing and the access log all read one value: the token's {@code client_id} (its
 * {@code sub} when absent).
 */
public final class Caller implements WebFilter, Ordered {

	@Override
	public int getOrder() {
		return FilterOrder.CALLER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return exchange.getPrincipal()
			.doOnNext(
					(principal) -> exchange.getAttributes().put(ModelRequest.CLIENT_ID_ATTRIBUTE, clientId(principal)))
			.then(chain.filter(exchange));
	}

	static String clientId(Principal principal) {
		if (principal instanceof JwtAuthenticationToken token) {
			return clientId(token.getToken());
		}
		return principal.getName();
	}

	static String clientId(Jwt jwt) {
		String clientId = jwt.getClaimAsString("client_id");
		return (clientId != null) ? clientId : jwt.getSubject();
	}

}
