package io.servinglayer.controlplane.user;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.servinglayer.controlplane.client.Scopes;

/**
 * What a person may do in the console and the admin API: each role is a fixed set of the
 * scopes API clients have, so one set of rules ({@code AccessConfiguration}) governs
 * people and programs alike. This is the one place roles are mapped onto scopes.
 */
public enum Role {

	/**
	 * Reads everything a token with {@code registry:read} reads: models, versions,
	 * feature views, deployments and their status, rollouts, SLOs, the routing snapshot.
	 * Not clients, users or the audit log, which are the admin's.
	 */
	VIEWER(Scopes.REGISTRY_READ, Scopes.ROUTING_READ),

	/**
	 * A viewer who also changes deployments, starts and steers rollouts, sets SLOs and
	 * uploads versions: the {@code deploy} scope a CI pipeline has.
	 */
	DEPLOYER(Scopes.REGISTRY_READ, Scopes.ROUTING_READ, Scopes.DEPLOY),

	/**
	 * Everything, including clients, users, signing keys and the audit log: the
	 * {@code admin} scope.
	 */
	ADMIN(Scopes.ADMIN);

	private final List<String> scopes;

	Role(String... scopes) {
		this.scopes = List.of(scopes);
	}

	/**
	 * The role's name in the API and the database: {@code viewer}, {@code deployer},
	 * {@code admin}.
	 */
	public String roleName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The scopes the role grants. */
	public List<String> scopes() {
		return this.scopes;
	}

	/** The role of that name; empty when there is none. */
	public static Optional<Role> named(String name) {
		for (Role role : values()) {
			if (role.roleName().equals(name)) {
				return Optional.of(role);
			}
		}
		return Optional.empty();
	}

	/** Every role's name, in the order of the roles. */
	public static List<String> names() {
		return List.of(values()).stream().map(Role::roleName).toList();
	}

	/** The scopes of all the roles together, sorted. */
	public static Set<String> scopesOf(Collection<Role> roles) {
		Set<String> scopes = new TreeSet<>();
		roles.forEach((role) -> scopes.addAll(role.scopes));
		return scopes;
	}

}
