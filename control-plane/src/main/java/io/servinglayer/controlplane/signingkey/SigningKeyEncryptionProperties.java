package io.servinglayer.controlplane.signingkey;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the token signing keys' private parts are encrypted at rest. Exactly one of
 * {@code key-encryption-key} and {@code key-encryption-key-file} must be set: without a
 * key-encryption key (KEK) the control plane does not start.
 *
 * @param keyEncryptionKey the KEK: 32 random bytes, base64
 * ({@code openssl rand -base64 32})
 * @param keyEncryptionKeyFile a file whose content is the KEK in base64 (surrounding
 * whitespace is ignored); keep it readable by the control plane's user only
 * @param previousKeyEncryptionKeys KEKs, in base64, that are still accepted to decrypt;
 * keys found under one of them are re-encrypted under the current KEK at start
 */
@ConfigurationProperties("servinglayer.control-plane.signing-keys")
public record SigningKeyEncryptionProperties(String keyEncryptionKey, Path keyEncryptionKeyFile,
		@DefaultValue List<String> previousKeyEncryptionKeys) {

	static final String KEY = "servinglayer.control-plane.signing-keys.key-encryption-key";

	static final String FILE = "servinglayer.control-plane.signing-keys.key-encryption-key-file";

	public SigningKeyEncryptionProperties {
		boolean key = keyEncryptionKey != null && !keyEncryptionKey.isBlank();
		boolean file = keyEncryptionKeyFile != null && !keyEncryptionKeyFile.toString().isBlank();
		if (!key && !file) {
			throw new IllegalArgumentException("No key-encryption key is configured, and the token signing keys are "
					+ "stored encrypted under it: set " + KEY
					+ " (env SERVINGLAYER_CONTROLPLANE_SIGNINGKEYS_KEYENCRYPTIONKEY) to 32 random bytes in base64, "
					+ "or " + FILE + " (env SERVINGLAYER_CONTROLPLANE_SIGNINGKEYS_KEYENCRYPTIONKEYFILE) to a file "
					+ "holding them; make one with: openssl rand -base64 32");
		}
		if (key && file) {
			throw new IllegalArgumentException(
					"Set either " + KEY + " or " + FILE + ", not both: which of the two is the KEK would be a guess");
		}
		if (!key) {
			keyEncryptionKey = null;
		}
		if (!file) {
			keyEncryptionKeyFile = null;
		}
		previousKeyEncryptionKeys = List.copyOf(previousKeyEncryptionKeys);
	}

	@Override
	public String toString() {
		// Never print the keys themselves.
		return "SigningKeyEncryptionProperties[keyEncryptionKeyFile=" + this.keyEncryptionKeyFile
				+ ", previousKeyEncryptionKeys=" + this.previousKeyEncryptionKeys.size() + "]";
	}

}
