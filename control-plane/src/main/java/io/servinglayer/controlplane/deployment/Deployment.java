package io.servinglayer.controlplane.deployment;

import java.time.Instant;

/**
 * A deployment as stored: its spec, its own revision (the ETag), and the salt its sticky
 * split hashes with, which never changes so users keep their version while the weight
 * holds.
 */
public record Deployment(String name, DeploymentSpec spec, long revision, String salt, String createdBy,
		Instant createdAt, String updatedBy, Instant updatedAt) {
}
