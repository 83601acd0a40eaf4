package io.servinglayer.controlplane.user;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * Keeps console sessions in step with the user store. A session holds the sign-in it was
 * made with, and Spring Security does not look at the user again while it lasts: a user
 * disabled or given other roles would keep what they had until the session expired. So
 * each request that rides on a session looks the user up by primary key: a user who was
 * disabled, removed or had their password reset since signing in loses the session; one
 * whose roles changed gets the new roles' scopes from that request on.
 */
@Component
public class ConsoleSessions {

	private final UserRepository users;

	ConsoleSessions(UserRepository users) {
		this.users = users;
	}

	/**
	 * The sign-in as the user store has it now.
	 * @param signedIn what a console session holds
	 * @return {@code signedIn} itself when nothing changed, a copy with the user's
	 * current scopes when their roles changed, and empty when the session must end
	 * @throws IllegalArgumentException when {@code signedIn} is not a console sign-in
	 * (see {@link #isConsoleSignIn})
	 */
	public Optional<Authentication> current(Authentication signedIn) {
		if (!isConsoleSignIn(signedIn)) {
			throw new IllegalArgumentException("not a console sign-in: " + signedIn.getClass().getName());
		}
		ConsoleUser principal = (ConsoleUser) signedIn.getPrincipal();
		Optional<UserAccount> found = this.users.find(principal.getUsername());
		if (found.isEmpty() || found.get().disabled() || found.get().passwordVersion() != principal.passwordVersion()) {
			return Optional.empty();
		}
		List<GrantedAuthority> authorities = new ArrayList<>();
		// Authorities other than scopes (the factor Spring Security records) stay.
		signedIn.getAuthorities()
			.stream()
			.filter((authority) -> !String.valueOf(authority.getAuthority()).startsWith(UserAccounts.SCOPE_PREFIX))
			.forEach(authorities::add);
		authorities.addAll(UserAccounts.authorities(found.get()));
		if (new HashSet<>(authorities).equals(new HashSet<>(signedIn.getAuthorities()))) {
			return Optional.of(signedIn);
		}
		UsernamePasswordAuthenticationToken refreshed = UsernamePasswordAuthenticationToken.authenticated(principal,
				null, authorities);
		refreshed.setDetails(signedIn.getDetails());
		return Optional.of(refreshed);
	}

	/**
	 * Whether {@code authentication} is a person's sign-in at the console's login form.
	 */
	public static boolean isConsoleSignIn(Authentication authentication) {
		return authentication instanceof UsernamePasswordAuthenticationToken && authentication.isAuthenticated()
				&& authentication.getPrincipal() instanceof ConsoleUser;
	}

	/**
	 * The signed-in person's username; empty when the caller is not a console sign-in.
	 */
	static Optional<String> username(Authentication authentication) {
		return (authentication != null && isConsoleSignIn(authentication)) ? Optional.of(authentication.getName())
				: Optional.empty();
	}

}
