package io.servinglayer.controlplane.user;

import java.util.List;

import io.servinglayer.controlplane.system.Violations;

/**
 * The body of {@code PUT /api/v1/users/{username}/roles}.
 *
 * @param roles the user's roles from now on: at least one of {@code viewer},
 * {@code deployer}, {@code admin}
 */
record UserRolesRequest(List<String> roles) {

	/**
	 * Checks every field, naming each that is wrong (422).
	 * @return the roles asked for, in the order of {@link Role}
	 */
	List<Role> validate() {
		Violations violations = new Violations();
		CreateUserRequest.validateRoles(violations, this.roles, "roles");
		violations.throwIfAny();
		return CreateUserRequest.roles(this.roles);
	}

}
