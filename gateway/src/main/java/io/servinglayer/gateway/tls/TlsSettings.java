package io.servinglayer.gateway.tls;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the client port is secured.
 *
 * @param mode {@code local}: a self-signed certificate generated at first start into
 * {@code stateDirectory} and reused after; {@code keystore}: the configured PKCS#12 key
 * store (production); {@code off}: plain HTTP, only behind a proxy that terminates TLS
 * @param keyStore the PKCS#12 file, for {@code keystore}
 * @param keyStorePassword its password
 * @param keyAlias the entry to serve; the only one when not set
 * @param stateDirectory where {@code local} keeps its key store
 * @param hostnames the names the self-signed certificate is valid for, besides
 * {@code 127.0.0.1}
 */
@ConfigurationProperties("servinglayer.gateway.tls")
public record TlsSettings(@DefaultValue("local") Mode mode, Path keyStore, String keyStorePassword, String keyAlias,
		Path stateDirectory, @DefaultValue("localhost") String hostnames) {

	public TlsSettings {
		if (stateDirectory == null) {
			stateDirectory = Path.of(System.getProperty("java.io.tmpdir"), "servinglayer-gateway");
		}
		if (mode == Mode.KEYSTORE && (keyStore == null || keyStorePassword == null)) {
			throw new IllegalArgumentException("servinglayer.gateway.tls.mode=keystore needs "
					+ "servinglayer.gateway.tls.key-store and key-store-password, got key-store " + keyStore);
		}
	}

	/** Never prints the key store's password. */
	@Override
	public String toString() {
		return "TlsSettings[mode=" + this.mode + ", keyStore=" + this.keyStore + ", keyStorePassword="
				+ ((this.keyStorePassword != null) ? "******" : null) + ", keyAlias=" + this.keyAlias
				+ ", stateDirectory=" + this.stateDirectory + ", hostnames=" + this.hostnames + "]";
	}

	/** Where the client port's certificate comes from. */
	public enum Mode {

		/**
		 * A self-signed certificate made at first start and kept in the state directory.
		 */
		LOCAL,

		/** A PKCS#12 key store the operator provides. */
		KEYSTORE,

		/** Plain HTTP: only behind something else that terminates TLS. */
		OFF

	}

}
