package io.servinglayer.controlplane.user;

import java.util.Collection;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;

/**
 * A signed-in person as their console session holds them: with the version of the
 * password they signed in with, so that a session outlives no password reset.
 */
final class ConsoleUser extends User {

	private final int passwordVersion;

	ConsoleUser(String username, String passwordHash, boolean enabled, int passwordVersion,
			Collection<? extends GrantedAuthority> authorities) {
		super(username, passwordHash, enabled, true, true, true, authorities);
		this.passwordVersion = passwordVersion;
	}

	int passwordVersion() {
		return this.passwordVersion;
	}

}
