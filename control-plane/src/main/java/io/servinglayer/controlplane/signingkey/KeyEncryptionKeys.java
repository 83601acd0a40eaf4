package io.servinglayer.controlplane.signingkey;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

/**
 * The key-encryption keys (KEKs) that protect the signing keys' private parts at rest:
 * AES-256-GCM with a random 96-bit nonce per value, and the signing key's id as
 * associated data, so a ciphertext copied onto another key's row does not decrypt. A
 * KEK's id is the hex of the first 8 bytes of its SHA-256; it is stored beside each
 * ciphertext, so a rotation can tell which rows are still under a previous KEK.
 */
@Component
class KeyEncryptionKeys {

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecureRandom random = new SecureRandom();

	private final Kek current;

	/** Every KEK that may decrypt, by id: the current one and the previous ones. */
	private final Map<String, Kek> byId = new LinkedHashMap<>();

	KeyEncryptionKeys(SigningKeyEncryptionProperties properties) {
		this.current = (properties.keyEncryptionKey() != null)
				? Kek.of(properties.keyEncryptionKey(), SigningKeyEncryptionProperties.KEY) : Kek.of(read(properties),
						SigningKeyEncryptionProperties.FILE + " (" + properties.keyEncryptionKeyFile() + ")");
		this.byId.put(this.current.id(), this.current);
		for (int i = 0; i < properties.previousKeyEncryptionKeys().size(); i++) {
			Kek previous = Kek.of(properties.previousKeyEncryptionKeys().get(i),
					"servinglayer.control-plane.signing-keys.previous-key-encryption-keys[" + i + "]");
			this.byId.putIfAbsent(previous.id(), previous);
		}
	}

	private static String read(SigningKeyEncryptionProperties properties) {
		try {
			return Files.readString(properties.keyEncryptionKeyFile(), StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new IllegalStateException(SigningKeyEncryptionProperties.FILE + ": could not read the key-encryption "
					+ "key from " + properties.keyEncryptionKeyFile() + ": " + ex, ex);
		}
	}

	/** The id of the KEK new values are encrypted under. */
	String currentId() {
		return this.current.id();
	}

	/** Whether a value encrypted under KEK {@code kekId} can be decrypted. */
	boolean knows(String kekId) {
		return this.byId.containsKey(kekId);
	}

	/**
	 * Encrypts under the current KEK; the result is the nonce followed by the ciphertext.
	 */
	/**
	 * A key for {@code purpose} derived from the current KEK (HMAC-SHA256 of the purpose
	 * under it), so a secret every replica shares needs no setting of its own.
	 */
	byte[] derive(String purpose) {
		try {
			javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.current.key().getEncoded(), "HmacSHA256"));
			return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("every JDK has HMAC-SHA256", ex);
		}
	}

	byte[] encrypt(byte[] plaintext, String associatedData) {
		byte[] nonce = new byte[NONCE_BYTES];
		this.random.nextBytes(nonce);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.current.key(), new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
			byte[] ciphertext = cipher.doFinal(plaintext);
			return ByteBuffer.allocate(nonce.length + ciphertext.length).put(nonce).put(ciphertext).array();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-256-GCM is not available in this JVM", ex);
		}
	}

	/**
	 * Decrypts a value that {@link #encrypt} made under KEK {@code kekId}.
	 * @throws UndecryptableException when that KEK is not configured, or the value was
	 * altered or belongs to another signing key
	 */
	byte[] decrypt(byte[] value, String kekId, String associatedData) {
		Kek kek = this.byId.get(kekId);
		if (kek == null) {
			throw new UndecryptableException("is encrypted under key-encryption key " + kekId + ", which is neither "
					+ SigningKeyEncryptionProperties.KEY + " (" + this.current.id() + ") nor one of "
					+ "servinglayer.control-plane.signing-keys.previous-key-encryption-keys; configure the key it "
					+ "was encrypted with (as the current or a previous key-encryption key)");
		}
		if (value.length <= NONCE_BYTES) {
			throw new UndecryptableException("has a ciphertext too short to be one");
		}
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, kek.key(),
					new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(value, 0, NONCE_BYTES)));
			cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
			return cipher.doFinal(value, NONCE_BYTES, value.length - NONCE_BYTES);
		}
		catch (GeneralSecurityException ex) {
			throw new UndecryptableException("does not decrypt under key-encryption key " + kekId
					+ ": its ciphertext was altered or copied from another key's row");
		}
	}

	/**
	 * A value that no configured KEK decrypts; the message completes "signing key X …".
	 */
	static final class UndecryptableException extends IllegalStateException {

		UndecryptableException(String message) {
			super(message);
		}

	}

	private record Kek(String id, SecretKey key) {

		static Kek of(String base64, String setting) {
			byte[] bytes;
			try {
				bytes = Base64.getDecoder().decode(base64.strip());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(
						setting + " is not valid base64; make a key-encryption key with: " + "openssl rand -base64 32");
			}
			if (bytes.length != 32) {
				throw new IllegalStateException(setting + " must be 32 bytes (AES-256) in base64, got " + bytes.length
						+ " bytes; make one with: openssl rand -base64 32");
			}
			try {
				byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
				return new Kek(HexFormat.of().formatHex(digest, 0, 8), new SecretKeySpec(bytes, "AES"));
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("every JDK has SHA-256", ex);
			}
		}

		@Override
		public String toString() {
			return "Kek[" + this.id + "]";
		}

	}

}
