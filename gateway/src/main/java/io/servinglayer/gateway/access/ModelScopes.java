package io.servinglayer.gateway.access;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import io.servinglayer.gateway.routing.Routing;
import io.servinglayer.gateway.routing.RoutingTable;
import reactor.core.publisher.Mono;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.server.authorization.AuthorizationContext;

/**
 * Who may call a model: a token with {@code predict} (any model) or
 * {@code predict:{model}} (unless that is the pinned scope), and for a version named in
 * the path also the pinned scope. A client the routing snapshot lists as disabled is
 * refused even with a token that has not expired yet.
 */
class ModelScopes implements ReactiveAuthorizationManager<AuthorizationContext> {

	private final Routing routing;

	private final String pinnedScope;

	private final boolean pinned;

	private ModelScopes(Routing routing, String pinnedScope, boolean pinned) {
		this.routing = routing;
		this.pinnedScope = pinnedScope;
		this.pinned = pinned;
	}

	static ModelScopes anyVersion(Routing routing, String pinnedScope) {
		return new ModelScopes(routing, pinnedScope, false);
	}

	static ModelScopes pinnedVersion(Routing routing, String pinnedScope) {
		return new ModelScopes(routing, pinnedScope, true);
	}

	@Override
	public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
		Object model = context.getVariables().get("model");
		return authentication.filter(Authentication::isAuthenticated)
			.map((caller) -> (AuthorizationResult) new AuthorizationDecision(allowed(caller, String.valueOf(model))))
			.defaultIfEmpty(new AuthorizationDecision(false));
	}

	boolean allowed(Authentication caller, String model) {
		return allowed(scopes(caller.getAuthorities()), Caller.clientId(caller), model, this.pinned, this.pinnedScope,
				this.routing.table());
	}

	/** The rule itself, shared with the model-call path ({@link ModelCallAccess}). */
	static boolean allowed(Set<String> scopes, String clientId, String model, boolean pinned, String pinnedScope,
			RoutingTable table) {
		// The pinned scope has the form of a model scope: it never grants a model named
		// after it (the control plane also refuses that name).
		String modelScope = "predict:" + model;
		boolean forModel = scopes.contains(modelScope) && !modelScope.equals(pinnedScope);
		if (!scopes.contains("predict") && !forModel) {
			return false;
		}
		if (pinned && !scopes.contains(pinnedScope)) {
			return false;
		}
		RoutingTable.Client client = table.client(clientId);
		return client == null || !client.disabled();
	}

	private static Set<String> scopes(Collection<? extends GrantedAuthority> authorities) {
		return authorities.stream()
			.map(GrantedAuthority::getAuthority)
			.filter((authority) -> authority != null && authority.startsWith("SCOPE_"))
			.map((authority) -> authority.substring("SCOPE_".length()))
			.collect(Collectors.toSet());
	}

}
