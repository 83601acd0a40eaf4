package io.servinglayer.controlplane.user;

import io.servinglayer.controlplane.system.Violations;

/**
 * The body of {@code POST /api/v1/users/{username}:reset-password}.
 *
 * @param password the new password: 12-128 characters, at most 72 bytes in UTF-8, not the
 * username
 */
record PasswordResetRequest(String password) {

	void validate(String username) {
		Violations violations = new Violations();
		CreateUserRequest.validatePassword(violations, this.password, username, "password");
		violations.throwIfAny();
	}

	@Override
	public String toString() {
		return "PasswordResetRequest[password=(hidden)]";
	}

}
