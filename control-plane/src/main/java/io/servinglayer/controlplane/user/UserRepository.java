package io.servinglayer.controlplane.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code app_user} table. Roles are kept by name ({@link Role#roleName()}); a name no
 * role has any longer is ignored when read, so it grants nothing.
 */
@Repository
class UserRepository {

	private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
	};

	/** The advisory lock of {@link #lockAdminChanges()}. */
	private static final long ADMIN_CHANGES_LOCK = 0x5e41_0005_e125L;

	private static final String COLUMNS = "username, roles, scopes, disabled_at, password_version, created_by, created_at";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	UserRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	Optional<UserAccount> find(String username) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM app_user WHERE username = ?")
			.param(username)
			.query(this::user)
			.optional();
	}

	Optional<UserAccount> findForUpdate(String username) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM app_user WHERE username = ? FOR UPDATE")
			.param(username)
			.query(this::user)
			.optional();
	}

	/** The user and the hash of their password, for checking a sign-in. */
	Optional<WithPasswordHash> findWithPasswordHash(String username) {
		return this.jdbc.sql("SELECT " + COLUMNS + ", password_hash FROM app_user WHERE username = ?")
			.param(username)
			.query((rs, row) -> new WithPasswordHash(user(rs, row), rs.getString("password_hash")))
			.optional();
	}

	List<UserAccount> list(String afterUsername, int limit) {
		return this.jdbc
			.sql("SELECT " + COLUMNS
					+ " FROM app_user WHERE (CAST(? AS text) IS NULL OR username > ?) ORDER BY username LIMIT ?")
			.params(afterUsername, afterUsername, limit)
			.query(this::user)
			.list();
	}

	boolean any() {
		return this.jdbc.sql("SELECT EXISTS (SELECT 1 FROM app_user)").query(Boolean.class).single();
	}

	/** Adds a user; {@code false} when one of that name exists. */
	boolean insert(String username, String passwordHash, List<Role> roles, String createdBy, Instant now) {
		return this.jdbc.sql("""
				INSERT INTO app_user (username, password_hash, roles, scopes, created_by, created_at)
				VALUES (?, ?, ?::jsonb, '[]'::jsonb, ?, ?)
				ON CONFLICT (username) DO NOTHING""")
			.params(username, passwordHash, names(roles), createdBy, utc(now))
			.update() == 1;
	}

	/** Sets the user's roles; the scopes kept from before roles go. */
	void setRoles(String username, List<Role> roles) {
		this.jdbc.sql("UPDATE app_user SET roles = ?::jsonb, scopes = '[]'::jsonb WHERE username = ?")
			.params(names(roles), username)
			.update();
	}

	void setDisabled(String username, Instant disabledAt) {
		this.jdbc.sql("UPDATE app_user SET disabled_at = ? WHERE username = ?")
			.params((disabledAt != null) ? utc(disabledAt) : null, username)
			.update();
	}

	void setPasswordHash(String username, String passwordHash) {
		this.jdbc
			.sql("UPDATE app_user SET password_hash = ?, password_version = password_version + 1 WHERE username = ?")
			.params(passwordHash, username)
			.update();
	}

	/**
	 * Makes the changes that could take the admin role from somebody (roles, disabling)
	 * wait for each other until the caller's transaction ends: two made at once cannot
	 * both take it from the last two admins.
	 */
	void lockAdminChanges() {
		this.jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(ADMIN_CHANGES_LOCK).query((rs, row) -> 1).list();
	}

	/** The enabled users who are admins, by role or by a scope kept from before roles. */
	List<String> enabledAdmins() {
		return this.jdbc.sql("""
				SELECT username FROM app_user
				WHERE disabled_at IS NULL AND (roles @> '["admin"]'::jsonb OR scopes @> '["admin"]'::jsonb)
				ORDER BY username""").query(String.class).list();
	}

	private String names(List<Role> roles) {
		return this.json.writeValueAsString(roles.stream().map(Role::roleName).toList());
	}

	private UserAccount user(ResultSet rs, int row) throws SQLException {
		List<Role> roles = this.json.readValue(rs.getString("roles"), NAMES)
			.stream()
			.flatMap((name) -> Role.named(name).stream())
			.toList();
		return new UserAccount(rs.getString("username"), roles, this.json.readValue(rs.getString("scopes"), NAMES),
				instant(rs, "disabled_at"), rs.getInt("password_version"), rs.getString("created_by"),
				instant(rs, "created_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	record WithPasswordHash(UserAccount user, String passwordHash) {
	}

}
