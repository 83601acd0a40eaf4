package io.servinglayer.controlplane.user;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.servinglayer.controlplane.client.Scopes;

/**
 * A person who signs in to the console, as stored; the password hash is not part of it.
 *
 * @param username how the person signs in
 * @param roles what the person may do
 * @param legacyScopes scopes the user had before roles existed that no role stood for;
 * empty for every user made since, and emptied when the user's roles are set
 * @param disabledAt when the user was disabled; {@code null} when enabled
 * @param passwordVersion counts password changes: a session signed in with an older one
 * ends
 * @param createdBy who made the user: a user, a client, or {@code system:bootstrap}
 * @param createdAt when the user was made
 */
record UserAccount(String username, List<Role> roles, List<String> legacyScopes, Instant disabledAt,
		int passwordVersion, String createdBy, Instant createdAt) {

	boolean disabled() {
		return this.disabledAt != null;
	}

	boolean admin() {
		return this.roles.contains(Role.ADMIN) || this.legacyScopes.contains(Scopes.ADMIN);
	}

	/** The scopes the user's roles and legacy scopes grant together. */
	Set<String> scopes() {
		Set<String> scopes = new TreeSet<>(Role.scopesOf(this.roles));
		scopes.addAll(this.legacyScopes);
		return scopes;
	}

}
