package io.servinglayer.controlplane.user;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.servinglayer.controlplane.audit.AuditLog;
import io.servinglayer.controlplane.lockout.Lockouts;
import io.servinglayer.controlplane.system.CurrentActor;
import io.servinglayer.controlplane.system.Page;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Manages the people who sign in to the console. Every change is audited in its own
 * transaction, never with a password or its hash. Changes that could take the admin role
 * from its last enabled holder run one at a time and are refused when they would, so that
 * somebody can always manage users.
 */
@Service
class UserService {

	private final UserRepository users;

	private final AuditLog audit;

	private final CurrentActor actor;

	private final TransactionTemplate transactions;

	private final Lockouts lockouts;

	private final Clock clock;

	private final PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();

	UserService(UserRepository users, AuditLog audit, CurrentActor actor, TransactionTemplate transactions,
			Lockouts lockouts, Clock clock) {
		this.users = users;
		this.audit = audit;
		this.actor = actor;
		this.transactions = transactions;
		this.lockouts = lockouts;
		this.clock = clock;
	}

	UserAccount create(CreateUserRequest request) {
		List<Role> roles = request.validate();
		return create(request.username(), request.password(), roles);
	}

	/**
	 * Creates a user with a password that is not checked against the API's rules: for the
	 * bootstrap admin, whose password comes from configuration.
	 */
	UserAccount create(String username, String password, List<Role> roles) {
		// bcrypt's work is done first, so the transaction holds no connection idle.
		String hash = this.passwords.encode(password);
		return this.transactions.execute((status) -> {
			if (!this.users.insert(username, hash, roles, this.actor.name(), now())) {
				throw new UserExistsException(username);
			}
			UserAccount created = this.users.find(username).orElseThrow();
			this.audit.record("user.created", "user", username, null, UserResponse.of(created));
			return created;
		});
	}

	boolean anyUser() {
		return this.users.any();
	}

	Page<UserAccount> list(Integer pageSize, String pageToken) {
		int size = Page.size(pageSize);
		return Page.of(this.users.list(Page.decode(pageToken), size + 1), size, UserAccount::username);
	}

	UserAccount get(String username) {
		return this.users.find(username).orElseThrow(() -> new UserNotFoundException(username));
	}

	/**
	 * Gives the user these roles, and drops any scopes kept from before roles. Takes
	 * effect on the user's next request, in a session they have open too.
	 * @throws LastAdminException when the user is the last enabled admin and would no
	 * longer be one
	 */
	UserAccount setRoles(String username, UserRolesRequest request) {
		List<Role> roles = request.validate();
		return this.transactions.execute((status) -> {
			this.users.lockAdminChanges();
			UserAccount current = locked(username);
			if (current.roles().equals(roles) && current.legacyScopes().isEmpty()) {
				return current;
			}
			if (!roles.contains(Role.ADMIN)) {
				requireAnotherAdmin(current);
			}
			this.users.setRoles(username, roles);
			UserAccount changed = this.users.find(username).orElseThrow();
			this.audit.record("user.roles-changed", "user", username, UserResponse.of(current),
					UserResponse.of(changed));
			return changed;
		});
	}

	/**
	 * Disables or enables the user. A disabled user cannot sign in, and a session they
	 * have open ends on its next request.
	 * @throws DisablingYourselfException when the signed-in person disables themselves
	 * @throws LastAdminException when disabling the last enabled admin
	 */
	UserAccount setDisabled(String username, boolean disabled) {
		return this.transactions.execute((status) -> {
			this.users.lockAdminChanges();
			UserAccount current = locked(username);
			if (current.disabled() == disabled) {
				return current;
			}
			if (disabled) {
				if (ConsoleSessions.username(SecurityContextHolder.getContext().getAuthentication())
					.filter(username::equals)
					.isPresent()) {
					throw new DisablingYourselfException(username);
				}
				requireAnotherAdmin(current);
			}
			this.users.setDisabled(username, disabled ? now() : null);
			UserAccount changed = this.users.find(username).orElseThrow();
			this.audit.record(disabled ? "user.disabled" : "user.enabled", "user", username, UserResponse.of(current),
					UserResponse.of(changed));
			return changed;
		});
	}

	/**
	 * Gives the user a new password. Sessions signed in with the old one end on their
	 * next request, and the user's sign-in lockouts are lifted.
	 */
	UserAccount resetPassword(String username, PasswordResetRequest request) {
		request.validate(username);
		String hash = this.passwords.encode(request.password());
		return this.transactions.execute((status) -> {
			UserAccount current = locked(username);
			this.users.setPasswordHash(username, hash);
			this.lockouts.clearAll(Lockouts.Kind.USER, username);
			UserAccount changed = this.users.find(username).orElseThrow();
			this.audit.record("user.password-reset", "user", username, UserResponse.of(current),
					UserResponse.of(changed));
			return changed;
		});
	}

	/**
	 * Refuses to take the admin role from {@code user} when nobody else enabled has it.
	 */
	private void requireAnotherAdmin(UserAccount user) {
		if (user.admin() && !user.disabled() && this.users.enabledAdmins().stream().allMatch(user.username()::equals)) {
			throw new LastAdminException(user.username());
		}
	}

	private UserAccount locked(String username) {
		return this.users.findForUpdate(username).orElseThrow(() -> new UserNotFoundException(username));
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

}
