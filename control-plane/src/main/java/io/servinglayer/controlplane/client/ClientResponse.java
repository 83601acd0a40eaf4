package io.servinglayer.controlplane.client;

import java.time.Instant;
import java.util.List;

/** A client as the admin API shows it: never with a secret or a hash of one. */
record ClientResponse(String clientId, String description, String tenant, List<String> scopes, RatePlan ratePlan,
		boolean disabled, Instant disabledAt, Instant previousSecretExpiresAt, Instant lockedUntil, String createdBy,
		Instant createdAt, Instant updatedAt) {

	static ClientResponse of(ApiClient client) {
		return new ClientResponse(client.clientId(), client.description(), client.tenant(), client.scopes(),
				client.ratePlan(), client.disabled(), client.disabledAt(), client.previousSecretExpiresAt(),
				client.lockedUntil(), client.createdBy(), client.createdAt(), client.updatedAt());
	}

}
