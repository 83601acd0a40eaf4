package io.servinglayer.controlplane.user;

import java.util.Collection;
import java.util.List;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/**
 * The people who sign in to the admin console. A user's roles (and any scopes kept from
 * before roles) become the same {@code SCOPE_*} authorities a token's scopes do, so one
 * set of rules governs both. Passwords are kept only as bcrypt hashes.
 */
@Component
public class UserAccounts implements UserDetailsService {

	static final String SCOPE_PREFIX = "SCOPE_";

	private final UserRepository users;

	UserAccounts(UserRepository users) {
		this.users = users;
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		UserRepository.WithPasswordHash found = this.users.findWithPasswordHash(username)
			.orElseThrow(() -> new UsernameNotFoundException("no such user"));
		UserAccount user = found.user();
		return new ConsoleUser(user.username(), found.passwordHash(), !user.disabled(), user.passwordVersion(),
				authorities(user));
	}

	static List<GrantedAuthority> authorities(UserAccount user) {
		return scopeAuthorities(user.scopes());
	}

	static List<GrantedAuthority> scopeAuthorities(Collection<String> scopes) {
		return scopes.stream()
			.<GrantedAuthority>map((scope) -> new SimpleGrantedAuthority(SCOPE_PREFIX + scope))
			.toList();
	}

}
