package io.servinglayer.controlplane.deployment;

import java.time.Instant;

/**
 * One state a deployment had: the spec it was given at {@code revision}, and the routing
 * revision that carried it.
 */
record DeploymentHistoryEntry(long revision, DeploymentSpec spec, long routingRevision, String changedBy,
		Instant changedAt) {
}
