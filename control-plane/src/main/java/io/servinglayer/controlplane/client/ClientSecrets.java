package io.servinglayer.controlplane.client;

import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Makes and checks client secrets. A secret is 256 random bits with a recognisable
 * {@code sls_} prefix, so secret scanners can spot a leaked one; only its bcrypt hash is
 * stored.
 */
@Component
class ClientSecrets {

	private final SecureRandom random = new SecureRandom();

	private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

	/**
	 * A hash no secret matches in practice (of 256 random bits nobody knows), made like
	 * every other: checking a secret against it costs what checking a real one does.
	 */
	private final String noneHash = this.encoder.encode(generate());

	String generate() {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		return "sls_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	String hash(String secret) {
		return this.encoder.encode(secret);
	}

	boolean matches(String secret, String hash) {
		return secret != null && hash != null && this.encoder.matches(secret, hash);
	}

	/**
	 * Does the work of {@link #matches} for a client that does not exist, so that its
	 * refusal takes as long as a wrong secret's.
	 */
	void matchesNone(String secret) {
		this.encoder.matches((secret != null) ? secret : "", this.noneHash);
	}

}
