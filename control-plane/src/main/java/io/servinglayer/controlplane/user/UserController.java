package io.servinglayer.controlplane.user;

import java.net.URI;
import java.util.List;
import java.util.Objects;

import io.servinglayer.controlplane.system.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Users",
		description = "People who sign in to the console, and their roles: viewer (reads everything but clients, "
				+ "users and the audit log), deployer (a viewer who also deploys: the deploy scope), admin "
				+ "(everything); needs the admin scope")
class UserController {

	private final UserService service;

	UserController(UserService service) {
		this.service = service;
	}

	@PostMapping("/users")
	@Operation(summary = "Create a user",
			description = "username: 3-64 of a-z, 0-9, '.', '_', '-'; password: 12-128 characters, at most 72 bytes "
					+ "in UTF-8, not the username; roles: at least one of viewer, deployer, admin. No answer ever "
					+ "carries the password.")
	ResponseEntity<UserResponse> create(@RequestBody CreateUserRequest request) {
		UserAccount created = this.service.create(request);
		return ResponseEntity.created(URI.create("/api/v1/users/" + created.username())).body(UserResponse.of(created));
	}

	@GetMapping("/users")
	@Operation(summary = "List users by username")
	Page<UserResponse> list(@RequestParam(required = false) Integer pageSize,
			@RequestParam(required = false) String pageToken) {
		return this.service.list(pageSize, pageToken).map(UserResponse::of);
	}

	@GetMapping("/users/me")
	@Operation(summary = "Who is calling and what they may do",
			description = "Open to any signed-in person or token, whatever its scopes. A console session answers "
					+ "{username, roles, scopes}; a bearer token answers {clientId, scopes}. The scopes are the ones "
					+ "the access rules check, as of this request (new roles apply at once).")
	MeResponse me(Authentication caller) {
		List<String> scopes = caller.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.filter(Objects::nonNull)
			.filter((authority) -> authority.startsWith(UserAccounts.SCOPE_PREFIX))
			.map((authority) -> authority.substring(UserAccounts.SCOPE_PREFIX.length()))
			.sorted()
			.distinct()
			.toList();
		if (ConsoleSessions.isConsoleSignIn(caller)) {
			UserAccount user = this.service.get(caller.getName());
			return new MeResponse(user.username(), user.roles().stream().map(Role::roleName).toList(), null, scopes);
		}
		return new MeResponse(null, null, caller.getName(), scopes);
	}

	@GetMapping("/users/{username}")
	@Operation(summary = "Get a user")
	UserResponse get(@PathVariable String username) {
		return UserResponse.of(this.service.get(username));
	}

	@PutMapping("/users/{username}/roles")
	@Operation(summary = "Set a user's roles",
			description = "Replaces the user's roles (and any scopes kept from before roles). Applies from the user's "
					+ "next request, in an open console session too. Taking admin from the last enabled admin is a "
					+ "409 (last-admin).")
	UserResponse setRoles(@PathVariable String username, @RequestBody UserRolesRequest request) {
		return UserResponse.of(this.service.setRoles(username, request));
	}

	@PostMapping("/users/{username}:disable")
	@Operation(summary = "Disable a user",
			description = "The user cannot sign in, and an open console session of theirs ends on its next request. "
					+ "Disabling yourself (disabling-yourself) or the last enabled admin (last-admin) is a 409.")
	UserResponse disable(@PathVariable String username) {
		return UserResponse.of(this.service.setDisabled(username, true));
	}

	@PostMapping("/users/{username}:enable")
	@Operation(summary = "Enable a disabled user")
	UserResponse enable(@PathVariable String username) {
		return UserResponse.of(this.service.setDisabled(username, false));
	}

	@PostMapping("/users/{username}:reset-password")
	@Operation(summary = "Give a user a new password",
			description = "Body {\"password\": …}, under the same rules as at creation. Console sessions signed in "
					+ "with the old password end on their next request; the user's sign-in lockouts are lifted.")
	UserResponse resetPassword(@PathVariable String username, @RequestBody PasswordResetRequest request) {
		return UserResponse.of(this.service.resetPassword(username, request));
	}

}
