package io.servinglayer.controlplane.user;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A user as the admin API shows it: never with a password or its hash.
 *
 * @param username how the user signs in
 * @param roles the user's roles
 * @param disabled whether the user is refused sign-in
 * @param createdAt when the user was made
 * @param createdBy who made the user
 * @param legacyScopes scopes the user had before roles existed that no role stood for;
 * left out when there are none, which is so for every user made through this API
 */
record UserResponse(String username, List<String> roles, boolean disabled, Instant createdAt, String createdBy,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> legacyScopes) {

	static UserResponse of(UserAccount user) {
		return new UserResponse(user.username(), user.roles().stream().map(Role::roleName).toList(), user.disabled(),
				user.createdAt(), user.createdBy(), user.legacyScopes());
	}

}
