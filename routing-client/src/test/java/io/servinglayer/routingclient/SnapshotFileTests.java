package io.servinglayer.routingclient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SnapshotFileTests {

	private static final byte[] SNAPSHOT = "{\"revision\": 7, \"deployments\": []}".getBytes(StandardCharsets.UTF_8);

	@TempDir
	Path dir;

	@Test
	void readsBackWhatItWroteAndNothingWhenThereIsNoFile() throws Exception {
		SnapshotFile file = new SnapshotFile(this.dir.resolve("routing.json"));
		assertThat(file.read()).isEmpty();

		file.write(SNAPSHOT);

		assertThat(file.read()).hasValueSatisfying((json) -> assertThat(json).isEqualTo(SNAPSHOT));
		assertThat(Files.list(this.dir)).hasSize(1);
	}

	@Test
	void refusesATruncatedFileWhole() throws Exception {
		Path path = this.dir.resolve("routing.json");
		new SnapshotFile(path).write(SNAPSHOT);
		byte[] content = Files.readAllBytes(path);
		Files.write(path, java.util.Arrays.copyOf(content, content.length - 5));

		assertThatExceptionOfType(SnapshotFile.CorruptSnapshotException.class)
			.isThrownBy(() -> new SnapshotFile(path).read())
			.withMessageContaining("bytes");
	}

	@Test
	void refusesAFileWhoseContentNoLongerMatchesItsDigest() throws Exception {
		Path path = this.dir.resolve("routing.json");
		new SnapshotFile(path).write(SNAPSHOT);
		String content = Files.readString(path).replace("\"revision\": 7", "\"revision\": 8");
		Files.writeString(path, content);

		assertThatExceptionOfType(SnapshotFile.CorruptSnapshotException.class)
			.isThrownBy(() -> new SnapshotFile(path).read())
			.withMessageContaining("SHA-256");
	}

	@Test
	void refusesAFileThatIsNotASnapshotFile() throws Exception {
		Path path = this.dir.resolve("routing.json");
		Files.write(path, SNAPSHOT);

		assertThatExceptionOfType(SnapshotFile.CorruptSnapshotException.class)
			.isThrownBy(() -> new SnapshotFile(path).read());
	}

}
