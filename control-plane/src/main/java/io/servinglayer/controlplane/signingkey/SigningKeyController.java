package io.servinglayer.controlplane.signingkey;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Signing keys", description = "The keys that sign access tokens; needs the admin scope")
class SigningKeyController {

	private final SigningKeys keys;

	SigningKeyController(SigningKeys keys) {
		this.keys = keys;
	}

	@PostMapping("/signing-keys:rotate")
	@Operation(summary = "Rotate the token signing key",
			description = "A new key signs tokens from now on. The JWKS keeps publishing the old key as the previous "
					+ "one, so tokens it signed stay valid until they expire; the key before it is retired.")
	SigningKeys.Rotation rotate() {
		return this.keys.rotate();
	}

}
