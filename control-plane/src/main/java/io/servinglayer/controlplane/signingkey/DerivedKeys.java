package io.servinglayer.controlplane.signingkey;

import org.springframework.stereotype.Component;

/**
 * Keys other features need that every replica must share, derived from the key-encryption
 * key: one setting to keep secret instead of one per use.
 */
@Component
public class DerivedKeys {

	private final KeyEncryptionKeys keys;

	DerivedKeys(KeyEncryptionKeys keys) {
		this.keys = keys;
	}

	/**
	 * The 32-byte key for {@code purpose}; the same on every replica with the same KEK.
	 */
	public byte[] forPurpose(String purpose) {
		return this.keys.derive(purpose);
	}

}
