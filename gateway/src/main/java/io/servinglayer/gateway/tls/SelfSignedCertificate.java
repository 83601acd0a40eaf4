package io.servinglayer.gateway.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local mode's certificate: a PKCS#12 key store in the state directory, made once
 * with the JDK's own {@code keytool} (so no crypto library joins the gateway) and reused
 * at every later start, so clients that trusted it once keep trusting it.
 */
final class SelfSignedCertificate {

	static final String ALIAS = "gateway";

	private static final Logger logger = LoggerFactory.getLogger(SelfSignedCertificate.class);

	private final Path keyStore;

	private final Path passwordFile;

	private SelfSignedCertificate(Path directory) {
		this.keyStore = directory.resolve("gateway-tls.p12");
		this.passwordFile = directory.resolve("gateway-tls.password");
	}

	/** The certificate in {@code directory}, made now if it is not there yet. */
	static SelfSignedCertificate in(Path directory, String hostnames) {
		SelfSignedCertificate certificate = new SelfSignedCertificate(directory);
		if (!Files.exists(certificate.keyStore) || !Files.exists(certificate.passwordFile)) {
			certificate.generate(directory, hostnames);
		}
		return certificate;
	}

	Path keyStore() {
		return this.keyStore;
	}

	String password() {
		try {
			return Files.readString(this.passwordFile, StandardCharsets.US_ASCII).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void generate(Path directory, String hostnames) {
		try {
			Files.createDirectories(directory);
			byte[] secret = new byte[24];
			new SecureRandom().nextBytes(secret);
			String password = HexFormat.of().formatHex(secret);
			Path temporary = directory.resolve("gateway-tls.p12.tmp");
			Files.deleteIfExists(temporary);
			StringBuilder names = new StringBuilder("ip:127.0.0.1");
			for (String name : hostnames.split(",")) {
				if (!name.isBlank()) {
					names.append(",dns:").append(name.trim());
				}
			}
			List<String> command = new ArrayList<>(
					List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
							"-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "825", "-dname",
							"CN=servinglayer-gateway", "-ext", "SAN=" + names, "-storetype", "PKCS12", "-keystore",
							temporary.toString(), "-storepass", password, "-keypass", password));
			// Output goes to a file, not a pipe: reading a pipe would block until keytool
			// exits, so the timeout below could never fire.
			Path log = Files.createTempFile(directory, "keytool", ".log");
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(log.toFile())
					.start();
				boolean exited = process.waitFor(60, TimeUnit.SECONDS);
				if (!exited) {
					process.destroyForcibly();
				}
				if (!exited || process.exitValue() != 0) {
					throw new IllegalStateException("keytool could not make the local certificate"
							+ (exited ? "" : " within 60 s") + ": " + Files.readString(log, StandardCharsets.UTF_8));
				}
			}
			finally {
				Files.deleteIfExists(log);
			}
			writePrivate(this.passwordFile, password);
			Files.move(temporary, this.keyStore, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			logger.info("Made a self-signed certificate for {} in {}", names, this.keyStore);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not make the local certificate in " + directory, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void writePrivate(Path file, String content) throws IOException {
		Files.writeString(file, content, StandardCharsets.US_ASCII);
		try {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		}
		catch (UnsupportedOperationException ex) {
			// Not a POSIX file system; the directory's own permissions have to do.
		}
	}

}
