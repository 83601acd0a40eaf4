package io.servinglayer.controlplane.user;

import org.springframework.security.authentication.LockedException;

/**
 * A console sign-in refused because the username is locked out from the caller's address;
 * the message is safe to show, and says for how long.
 */
public class SignInLockedException extends LockedException {

	private final long retryAfterSeconds;

	SignInLockedException(long retryAfterSeconds) {
		super("Too many failed sign-ins for this user; try again in " + retryAfterSeconds + " seconds");
		this.retryAfterSeconds = retryAfterSeconds;
	}

	public long retryAfterSeconds() {
		return this.retryAfterSeconds;
	}

}
