package io.servinglayer.controlplane.signingkey;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Before the first token is asked for: encrypts under the current key-encryption key any
 * signing key that is not yet (refusing to start when one does not decrypt), and makes
 * sure a signing key exists.
 */
@Component
@Order(0)
class SigningKeyInitializer implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(SigningKeyInitializer.class);

	private final SigningKeys keys;

	SigningKeyInitializer(SigningKeys keys) {
		this.keys = keys;
	}

	@Override
	public void run(ApplicationArguments args) {
		int encrypted = this.keys.encryptAtRest();
		if (encrypted > 0) {
			logger.info("Encrypted {} signing key(s) under the current key-encryption key", encrypted);
		}
		this.keys.ensureKey();
	}

}
