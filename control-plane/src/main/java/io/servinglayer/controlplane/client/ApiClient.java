package io.servinglayer.controlplane.client;

import java.time.Instant;
import java.util.List;

/**
 * An application or pipeline that gets tokens with {@code client_credentials}. Secrets
 * are kept only as hashes; the previous hash stays valid until
 * {@code previousSecretExpiresAt} after a rotation.
 */
record ApiClient(String clientId, String description, String tenant, List<String> scopes, RatePlan ratePlan,
		String secretHash, String previousSecretHash, Instant previousSecretExpiresAt, Instant disabledAt,
		int failedAttempts, Instant lockedUntil, long revision, String createdBy, Instant createdAt,
		Instant updatedAt) {

	boolean disabled() {
		return this.disabledAt != null;
	}

	String entityTag() {
		return Long.toString(this.revision);
	}

}
