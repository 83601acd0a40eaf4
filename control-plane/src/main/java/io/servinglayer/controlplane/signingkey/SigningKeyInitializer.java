package io.servinglayer.controlplane.signingkey;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Makes sure a signing key exists before the first token is asked for. */
@Component
@Order(0)
class SigningKeyInitializer implements ApplicationRunner {

	private final SigningKeys keys;

	SigningKeyInitializer(SigningKeys keys) {
		this.keys = keys;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.keys.ensureKey();
	}

}
