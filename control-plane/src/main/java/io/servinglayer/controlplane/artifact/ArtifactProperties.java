package io.servinglayer.controlplane.artifact;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of model artifact uploads and storage.
 *
 * @param maxSize largest artifact accepted; bigger uploads get 413
 * @param chunkSize size of the pieces an artifact is stored and streamed in
 * @param spoolDirectory the private folder uploads are spooled to while they are hashed
 * and checked, emptied at start; {@code artifact-spool} under
 * {@code servinglayer.control-plane.state-directory} when not set
 */
@ConfigurationProperties("servinglayer.control-plane.artifacts")
public record ArtifactProperties(@DefaultValue("512MB") DataSize maxSize, @DefaultValue("1MB") DataSize chunkSize,
		Path spoolDirectory) {

	public ArtifactProperties {
		if (maxSize.toBytes() <= 0) {
			throw new IllegalArgumentException(
					"servinglayer.control-plane.artifacts.max-size must be positive, got " + maxSize);
		}
		if (chunkSize.toBytes() < 1024 || chunkSize.toBytes() > 64 * 1024 * 1024) {
			throw new IllegalArgumentException(
					"servinglayer.control-plane.artifacts.chunk-size must be between 1KB and 64MB, got " + chunkSize);
		}
	}

}
