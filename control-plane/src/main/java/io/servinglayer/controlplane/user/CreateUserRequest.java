package io.servinglayer.controlplane.user;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

import io.servinglayer.controlplane.system.Violations;

/**
 * The body of {@code POST /api/v1/users}.
 *
 * @param username 3-64 lower-case letters, digits, '.', '_' or '-'
 * @param password 12-128 characters, at most 72 bytes in UTF-8, not the username
 * @param roles at least one of {@code viewer}, {@code deployer}, {@code admin}
 */
record CreateUserRequest(String username, String password, List<String> roles) {

	static final Pattern USERNAME = Pattern.compile("[a-z0-9._-]{3,64}");

	/** bcrypt reads no further than this many bytes of a password. */
	static final int MAX_PASSWORD_BYTES = 72;

	/**
	 * Checks every field, naming each that is wrong (422).
	 * @return the roles asked for, in the order of {@link Role}
	 */
	List<Role> validate() {
		Violations violations = new Violations().require(
				this.username != null && USERNAME.matcher(this.username).matches(), "username",
				"must be 3-64 lower-case letters, digits, '.', '_' or '-'");
		validatePassword(violations, this.password, this.username, "password");
		validateRoles(violations, this.roles, "roles");
		violations.throwIfAny();
		return roles(this.roles);
	}

	/**
	 * Adds at most one violation for {@code field}: the first rule the password breaks.
	 */
	static void validatePassword(Violations violations, String password, String username, String field) {
		if (password == null || password.codePointCount(0, password.length()) < 12
				|| password.codePointCount(0, password.length()) > 128) {
			violations.add(field, "must be 12-128 characters");
		}
		else if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
			violations.add(field, "must be at most " + MAX_PASSWORD_BYTES
					+ " bytes in UTF-8, as bcrypt reads no further (characters outside ASCII take 2-4 bytes)");
		}
		else if (password.equalsIgnoreCase(username)) {
			violations.add(field, "must not be the username");
		}
	}

	static void validateRoles(Violations violations, List<String> roles, String field) {
		if (roles == null || roles.isEmpty()) {
			violations.add(field, "must list at least one of " + Role.names());
			return;
		}
		for (int i = 0; i < roles.size(); i++) {
			violations.require(Role.named(roles.get(i)).isPresent(), field + "[" + i + "]",
					"'" + roles.get(i) + "' is not a role; roles are " + Role.names());
		}
		violations.require(new HashSet<>(roles).size() == roles.size(), field, "must not repeat a role");
	}

	/** Valid role names as roles, in the order of {@link Role}. */
	static List<Role> roles(List<String> names) {
		return List.of(Role.values()).stream().filter((role) -> names.contains(role.roleName())).toList();
	}

	@Override
	public String toString() {
		return "CreateUserRequest[username=" + this.username + ", roles=" + this.roles + "]";
	}

}
