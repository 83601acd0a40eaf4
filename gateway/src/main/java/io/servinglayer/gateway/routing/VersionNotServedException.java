package io.servinglayer.gateway.routing;

import io.servinglayer.gateway.system.GatewayProblem;

import org.springframework.http.HttpStatus;

/** A pinned version the deployment does not serve (not stable, canary or shadow). */
class VersionNotServedException extends GatewayProblem {

	VersionNotServedException(Deployment deployment, String version) {
		super(HttpStatus.NOT_FOUND, "version-not-served", "Version not served",
				"deployment '" + deployment.name() + "' serves version " + deployment.stable()
						+ ((deployment.canary() != null) ? " and canary " + deployment.canary() : "")
						+ ((deployment.shadow() != null) ? " and shadow " + deployment.shadow() : "") + ", not '"
						+ version + "'");
	}

}
