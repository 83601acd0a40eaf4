package io.servinglayer.gateway.access;

import io.servinglayer.gateway.routing.Routing;
import io.servinglayer.gateway.routing.RoutingTable;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;

/**
 * Who may send feedback: a token with the feedback scope, of a client the routing
 * snapshot does not list as disabled. A predict scope alone is not enough: labels change
 * what operators read as a version's accuracy.
 */
final class FeedbackScope {

	private FeedbackScope() {
	}

	static ReactiveAuthorizationManager<AuthorizationContext> of(Routing routing, String scope) {
		String authority = "SCOPE_" + scope;
		return (authentication, context) -> authentication.filter(Authentication::isAuthenticated)
			.map((caller) -> (AuthorizationResult) new AuthorizationDecision(allowed(caller, authority, routing)))
			.defaultIfEmpty(new AuthorizationDecision(false));
	}

	private static boolean allowed(Authentication caller, String authority, Routing routing) {
		if (caller.getAuthorities().stream().noneMatch((granted) -> authority.equals(granted.getAuthority()))) {
			return false;
		}
		RoutingTable.Client client = routing.table().client(Caller.clientId(caller));
		return client == null || !client.disabled();
	}

}
