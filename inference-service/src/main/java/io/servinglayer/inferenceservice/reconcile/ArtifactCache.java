package io.servinglayer.inferenceservice.reconcile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import io.servinglayer.routingclient.RoutingFollower;

/**
 * Model artifacts on local disk, named by their SHA-256. A file is only ever used after
 * its digest was checked: a download lands in a temporary file, is hashed, and is moved
 * into place only when the digest is the one the snapshot names; a cached file is hashed
 * again before it is opened.
 */
final class ArtifactCache {

	private final Path directory;

	private final RoutingFollower controlPlane;

	private final Duration downloadTimeout;

	ArtifactCache(Path directory, RoutingFollower controlPlane, Duration downloadTimeout) {
		this.directory = directory;
		this.controlPlane = controlPlane;
		this.downloadTimeout = downloadTimeout;
	}

	/**
	 * The verified file of the artifact with this digest, downloaded when it is not
	 * cached.
	 * @throws DigestMismatchException if the bytes do not hash to {@code digest}
	 */
	Path fetch(String digest, String artifactPath) throws IOException, InterruptedException {
		Files.createDirectories(this.directory);
		Path cached = this.directory.resolve(digest + ".onnx");
		if (Files.exists(cached)) {
			if (sha256(cached).equals(digest)) {
				return cached;
			}
			Files.delete(cached);
		}
		Path download = Files.createTempFile(this.directory, digest, ".part");
		try {
			this.controlPlane.download(artifactPath, download, this.downloadTimeout);
			String actual = sha256(download);
			if (!actual.equals(digest)) {
				throw new DigestMismatchException(artifactPath, digest, actual);
			}
			Files.move(download, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			return cached;
		}
		finally {
			Files.deleteIfExists(download);
		}
	}

	private static String sha256(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			byte[] buffer = new byte[64 * 1024];
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				digest.update(buffer, 0, n);
			}
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JDK has SHA-256", ex);
		}
	}

	/** Downloaded bytes whose SHA-256 is not the one the routing snapshot names. */
	static final class DigestMismatchException extends IOException {

		DigestMismatchException(String path, String expected, String actual) {
			super("digest mismatch for " + path + ": expected sha256 " + expected + ", got " + actual);
		}

	}

}
