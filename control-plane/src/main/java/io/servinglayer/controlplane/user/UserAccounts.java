package io.servinglayer.controlplane.user;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The people who sign in to the admin console. A user's scopes become the same
 * authorities a token's scopes do, so one set of rules governs both. Passwords are kept
 * only as bcrypt hashes.
 */
@Component
public class UserAccounts implements UserDetailsService {

	private static final TypeReference<List<String>> SCOPES = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();

	UserAccounts(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		return this.jdbc.sql("SELECT username, password_hash, scopes, disabled_at FROM app_user WHERE username = ?")
			.param(username)
			.query((rs, row) -> User.withUsername(rs.getString("username"))
				.password(rs.getString("password_hash"))
				.disabled(rs.getObject("disabled_at") != null)
				.authorities(this.json.readValue(rs.getString("scopes"), SCOPES)
					.stream()
					.map((scope) -> new SimpleGrantedAuthority("SCOPE_" + scope))
					.toList())
				.build())
			.optional()
			.orElseThrow(() -> new UsernameNotFoundException("no such user"));
	}

	public boolean anyUser() {
		return this.jdbc.sql("SELECT count(*) FROM app_user").query(Long.class).single() > 0;
	}

	/** Adds a user, inside the caller's transaction. */
	public void create(String username, String password, List<String> scopes, Instant now) {
		this.jdbc.sql("INSERT INTO app_user (username, password_hash, scopes, created_at) VALUES (?, ?, ?::jsonb, ?)")
			.params(username, this.passwords.encode(password), this.json.writeValueAsString(scopes),
					now.atOffset(ZoneOffset.UTC))
			.update();
	}

}
