package io.servinglayer.controlplane.artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.TestModels;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uploads wait in a private folder under the control plane's state folder, which a start
 * empties and each upload leaves empty, whatever its outcome.
 */
@ControlPlaneIntegrationTest
class ArtifactSpoolIntegrationTests {

	private static final Path state = newStateFolderWithALeftover();

	@Autowired
	AdminApi api;

	@DynamicPropertySource
	static void stateFolder(DynamicPropertyRegistry registry) {
		registry.add("servinglayer.control-plane.state-directory", state::toString);
	}

	@Test
	void theSpoolFolderIsPrivateAndWhatWasLeftInItBeforeTheStartIsGone() throws Exception {
		Path spool = state.resolve("artifact-spool");

		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spool))).isEqualTo("rwx------");
		assertThat(spool.resolve("artifact-left-by-a-crash.onnx")).doesNotExist();
	}

	@Test
	void anUploadLeavesNothingInTheSpoolFolderWhetherItIsAcceptedOrRefused() throws Exception {
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"spooled\"}").status()).isEqualTo(201);

		Response accepted = this.api.upload("spooled", Files.readAllBytes(TestModels.fraudClassifier()), null);
		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(201);
		assertThat(spooled()).isEmpty();

		Response refused = this.api.upload("spooled", "not an onnx model".getBytes(), null);
		assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
		assertThat(spooled()).isEmpty();
	}

	private static Stream<Path> spooled() throws IOException {
		try (Stream<Path> files = Files.list(state.resolve("artifact-spool"))) {
			return files.toList().stream();
		}
	}

	private static Path newStateFolderWithALeftover() {
		try {
			Path folder = Files.createTempDirectory("control-plane-state-");
			Path spool = Files.createDirectories(folder.resolve("artifact-spool"));
			Files.writeString(spool.resolve("artifact-left-by-a-crash.onnx"), "half an upload");
			return folder;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
