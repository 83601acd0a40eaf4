package io.servinglayer.controlplane.client;

/**
 * A token request whose client may not have a token; the message is safe to show the
 * caller. {@code retryAfterSeconds} is positive when the client is locked out for that
 * long.
 */
class ClientAuthenticationException extends RuntimeException {

	private final long retryAfterSeconds;

	ClientAuthenticationException(String message) {
		this(message, 0);
	}

	ClientAuthenticationException(String message, long retryAfterSeconds) {
		super(message);
		this.retryAfterSeconds = retryAfterSeconds;
	}

	long retryAfterSeconds() {
		return this.retryAfterSeconds;
	}

}
