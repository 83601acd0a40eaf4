package io.servinglayer.routingclient;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The last known good snapshot on local disk. The file is a header line naming the length
 * and SHA-256 of the JSON that follows; it is written to a temporary file, forced to disk
 * and moved into place atomically, so a reader sees the old file or the new one. A file
 * whose length or digest does not match (truncated, corrupted, half-written by something
 * else) is refused whole.
 */
final class SnapshotFile {

	private static final String MAGIC = "servinglayer-routing-snapshot/1";

	private final Path path;

	SnapshotFile(Path path) {
		this.path = path;
	}

	void write(byte[] json) throws IOException {
		Path directory = this.path.toAbsolutePath().getParent();
		Files.createDirectories(directory);
		byte[] header = (MAGIC + " " + json.length + " " + sha256(json) + "\n").getBytes(StandardCharsets.US_ASCII);
		Path temporary = Files.createTempFile(directory, this.path.getFileName().toString(), ".tmp");
		try {
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING)) {
				channel.write(ByteBuffer.wrap(header));
				channel.write(ByteBuffer.wrap(json));
				channel.force(true);
			}
			Files.move(temporary, this.path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	/**
	 * The JSON of an intact file; empty when there is no file.
	 * @throws CorruptSnapshotException when the file is there but not intact
	 */
	Optional<byte[]> read() throws IOException {
		if (!Files.exists(this.path)) {
			return Optional.empty();
		}
		byte[] content = Files.readAllBytes(this.path);
		int newline = indexOf(content, (byte) '\n');
		if (newline < 0) {
			throw new CorruptSnapshotException("no header line");
		}
		String[] header = new String(content, 0, newline, StandardCharsets.US_ASCII).split(" ");
		if (header.length != 3 || !header[0].equals(MAGIC)) {
			throw new CorruptSnapshotException("not a routing snapshot file");
		}
		byte[] json = java.util.Arrays.copyOfRange(content, newline + 1, content.length);
		if (!header[1].equals(Integer.toString(json.length))) {
			throw new CorruptSnapshotException("expected " + header[1] + " bytes of snapshot, found " + json.length);
		}
		if (!header[2].equals(sha256(json))) {
			throw new CorruptSnapshotException("the snapshot's SHA-256 does not match its header");
		}
		return Optional.of(json);
	}

	private static int indexOf(byte[] bytes, byte value) {
		for (int i = 0; i < bytes.length && i < 256; i++) {
			if (bytes[i] == value) {
				return i;
			}
		}
		return -1;
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JDK has SHA-256", ex);
		}
	}

	/** A snapshot file that is there but cannot be trusted. */
	static final class CorruptSnapshotException extends IOException {

		CorruptSnapshotException(String message) {
			super(message);
		}

	}

}
