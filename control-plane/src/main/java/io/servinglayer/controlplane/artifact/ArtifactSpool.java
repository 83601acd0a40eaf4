package io.servinglayer.controlplane.artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

import org.springframework.web.multipart.MultipartFile;

/**
 * The private folder uploads wait in while they are hashed and checked: readable by the
 * control plane's user only (0700, its files 0600), and emptied when the control plane
 * starts, so an upload a crash left behind does not stay on disk. Tomcat's multipart
 * parts are written here too.
 */
public final class ArtifactSpool {

	static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

	static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

	private final Path directory;

	private ArtifactSpool(Path directory) {
		this.directory = directory;
	}

	/**
	 * Makes {@code directory} (and its parents) if needed, restricts it to the owner and
	 * deletes whatever it holds.
	 */
	static ArtifactSpool prepare(Path directory) {
		Path folder = directory.toAbsolutePath().normalize();
		try {
			Files.createDirectories(folder);
			if (posix()) {
				Files.setPosixFilePermissions(folder, FOLDER);
			}
			try (Stream<Path> leftovers = Files.walk(folder)) {
				for (Path leftover : leftovers.sorted(Comparator.reverseOrder()).toList()) {
					if (!leftover.equals(folder)) {
						Files.deleteIfExists(leftover);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not prepare the artifact spool folder " + folder
					+ " (servinglayer.control-plane.artifacts.spool-directory, or 'artifact-spool' under "
					+ "servinglayer.control-plane.state-directory): " + ex, ex);
		}
		return new ArtifactSpool(folder);
	}

	public Path directory() {
		return this.directory;
	}

	/**
	 * Moves an uploaded part into a file of its own, readable by the owner only, and
	 * hashes it; closing the result deletes the file.
	 */
	public SpooledArtifact spool(MultipartFile upload) {
		return SpooledArtifact.of(upload, this.directory);
	}

	static boolean posix() {
		return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
	}

}
