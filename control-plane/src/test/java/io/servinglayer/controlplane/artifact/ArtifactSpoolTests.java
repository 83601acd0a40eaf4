package io.servinglayer.controlplane.artifact;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.web.multipart.MultipartFile;

import static org.assertj.core.api.Assertions.assertThat;

class ArtifactSpoolTests {

	@TempDir
	Path root;

	@Test
	void preparingTheSpoolMakesItsFolderPrivateAndDeletesWhatACrashLeftInIt() throws Exception {
		Path folder = this.root.resolve("state/artifact-spool");
		Files.createDirectories(folder.resolve("nested"));
		Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
		Files.writeString(folder.resolve("artifact-123.onnx"), "left by a crash");
		Files.writeString(folder.resolve("nested/upload_1.tmp"), "left by a crash");

		ArtifactSpool spool = ArtifactSpool.prepare(folder);

		assertThat(spool.directory()).isEqualTo(folder);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
		try (var left = Files.list(folder)) {
			assertThat(left).isEmpty();
		}
	}

	@Test
	void aSpooledUploadIsReadableByItsOwnerOnlyEvenWhenThePartWasMovedInAndIsDeletedWhenClosed() throws Exception {
		ArtifactSpool spool = ArtifactSpool.prepare(this.root.resolve("spool"));
		// Tomcat moves a part it kept on disk into place, with the mode the umask gave
		// it.
		Path part = this.root.resolve("upload_part.tmp");
		Files.writeString(part, "onnx bytes");
		Files.setPosixFilePermissions(part, PosixFilePermissions.fromString("rw-r--r--"));

		Path spooled;
		try (SpooledArtifact artifact = spool.spool(new DiskPart(part))) {
			spooled = artifact.file();
			assertThat(spooled.getParent()).isEqualTo(spool.directory());
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spooled))).isEqualTo("rw-------");
			assertThat(artifact.sizeBytes()).isEqualTo(10);
		}
		assertThat(spooled).doesNotExist();
	}

	/**
	 * A multipart part kept on disk, moved to where it is transferred, as Tomcat does.
	 */
	private record DiskPart(Path file) implements MultipartFile {

		@Override
		public String getName() {
			return "artifact";
		}

		@Override
		public String getOriginalFilename() {
			return "model.onnx";
		}

		@Override
		public String getContentType() {
			return "application/octet-stream";
		}

		@Override
		public boolean isEmpty() {
			return getSize() == 0;
		}

		@Override
		public long getSize() {
			return this.file.toFile().length();
		}

		@Override
		public byte[] getBytes() {
			return "onnx bytes".getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public InputStream getInputStream() {
			return new ByteArrayInputStream(getBytes());
		}

		@Override
		public void transferTo(File dest) throws java.io.IOException {
			transferTo(dest.toPath());
		}

		@Override
		public void transferTo(Path dest) throws java.io.IOException {
			Files.move(this.file, dest, StandardCopyOption.REPLACE_EXISTING);
		}

	}

}
