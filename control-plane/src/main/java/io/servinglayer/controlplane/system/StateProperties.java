package io.servinglayer.controlplane.system;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the control plane keeps what it needs on local disk (uploads being checked, for
 * now). Everything lasting is in PostgreSQL: the folder may be emptied, or lost, whenever
 * the control plane is stopped. One folder per control-plane process.
 *
 * @param stateDirectory the folder; a relative path is resolved against the working
 * directory
 */
@ConfigurationProperties("servinglayer.control-plane")
public record StateProperties(@DefaultValue(".servinglayer-control-plane") Path stateDirectory) {

	public StateProperties {
		if (stateDirectory.toString().isBlank()) {
			throw new IllegalArgumentException("servinglayer.control-plane.state-directory must not be empty");
		}
	}

}
