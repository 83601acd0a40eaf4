package io.servinglayer.gateway.balancing;

import java.util.Set;

/**
 * An inference instance as it announces itself.
 *
 * @param readyVersions the versions it has loaded and warm, as {@code deployment/version}
 */
public record Instance(String instanceId, String baseUrl, String pool, Set<String> readyVersions) {

	boolean ready(String deployment, int version) {
		return this.readyVersions.contains(deployment + "/" + version);
	}

}
