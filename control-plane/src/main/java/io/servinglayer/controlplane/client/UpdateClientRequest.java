package io.servinglayer.controlplane.client;

import java.util.List;

import io.servinglayer.controlplane.system.Violations;

/**
 * The body of {@code PATCH /api/v1/clients/{clientId}}: a merge patch; fields left out
 * keep their value.
 */
record UpdateClientRequest(String description, List<String> scopes, String tenant, RatePlan ratePlan) {

	void validate() {
		Violations violations = new Violations().maxLength(this.description, 1024, "description");
		CreateClientRequest.validateCommon(violations, this.scopes, this.tenant, this.ratePlan, false);
		violations.throwIfAny();
	}

}
