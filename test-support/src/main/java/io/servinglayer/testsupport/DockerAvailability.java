package io.servinglayer.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

import org.testcontainers.DockerClientFactory;

/** Asks Testcontainers whether a Docker engine answers, once per JVM. */
final class DockerAvailability {

	private static Boolean answers;

	private DockerAvailability() {
	}

	static synchronized boolean answers() {
		if (answers == null) {
			answers = probe();
		}
		return answers;
	}

	private static boolean probe() {
		// Without a socket or DOCKER_HOST there is nothing to ask, and Testcontainers'
		// own probe
		// would spend seconds trying every strategy before saying so.
		if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
			return false;
		}
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
