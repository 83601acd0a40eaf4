package io.servinglayer.controlplane.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.web.multipart.MultipartFile;

/**
 * An uploaded artifact on local disk with its SHA-256 and size, ready to be checked and
 * stored. Closing it deletes the file.
 */
public final class SpooledArtifact implements AutoCloseable {

	private final Path file;

	private final String digest;

	private final long sizeBytes;

	private SpooledArtifact(Path file, String digest, long sizeBytes) {
		this.file = file;
		this.digest = digest;
		this.sizeBytes = sizeBytes;
	}

	/** Moves an uploaded part into its own file in {@code directory} and hashes it. */
	static SpooledArtifact of(MultipartFile upload, Path directory) {
		Path file = null;
		try {
			file = Files.createTempFile(directory, "artifact-", ".onnx");
			upload.transferTo(file);
			if (ArtifactSpool.posix()) {
				// A part Tomcat kept on disk is moved here with its own mode (0644 under
				// the
				// usual umask), replacing the file made above.
				Files.setPosixFilePermissions(file, ArtifactSpool.FILE);
			}
			MessageDigest sha256 = sha256();
			long size = 0;
			byte[] buffer = new byte[64 * 1024];
			try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
				for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
					size += n;
				}
			}
			return new SpooledArtifact(file, HexFormat.of().formatHex(sha256.digest()), size);
		}
		catch (IOException ex) {
			deleteQuietly(file);
			throw new UncheckedIOException("could not spool the uploaded artifact", ex);
		}
	}

	static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JDK has SHA-256", ex);
		}
	}

	public Path file() {
		return this.file;
	}

	/** SHA-256 of the content, lower-case hex. */
	public String digest() {
		return this.digest;
	}

	public long sizeBytes() {
		return this.sizeBytes;
	}

	@Override
	public void close() {
		deleteQuietly(this.file);
	}

	private static void deleteQuietly(Path file) {
		if (file != null) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				// The spool folder is private and emptied at the next start.
			}
		}
	}

}
