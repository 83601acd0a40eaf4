package io.servinglayer.controlplane.client;

import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

import io.servinglayer.controlplane.system.Violations;

/** The body of {@code POST /api/v1/clients}. */
record CreateClientRequest(String clientId, String description, List<String> scopes, String tenant, RatePlan ratePlan) {

	static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

	void validate() {
		Violations violations = new Violations()
			.require(this.clientId != null && ID.matcher(this.clientId).matches(), "clientId",
					"must be 1-63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
			.maxLength(this.description, 1024, "description");
		validateCommon(violations, this.scopes, this.tenant, this.ratePlan, true);
		violations.throwIfAny();
	}

	static void validateCommon(Violations violations, List<String> scopes, String tenant, RatePlan ratePlan,
			boolean required) {
		if (scopes != null || required) {
			if (scopes == null || scopes.isEmpty()) {
				violations.add("scopes", "must list at least one of " + Scopes.FIXED + " or predict:{model}");
			}
			else {
				for (int i = 0; i < scopes.size(); i++) {
					violations.require(Scopes.isKnown(scopes.get(i)), "scopes[" + i + "]", "'" + scopes.get(i)
							+ "' is not a scope; scopes are " + Scopes.FIXED + " and predict:{model}");
				}
				violations.require(new HashSet<>(scopes).size() == scopes.size(), "scopes", "must not repeat a scope");
			}
		}
		if (tenant != null || required) {
			violations.require(tenant != null && ID.matcher(tenant).matches(), "tenant",
					"must be 1-63 lower-case letters, digits, '.', '_' or '-'");
		}
		if (ratePlan != null) {
			ratePlan.validate(violations, "ratePlan");
		}
	}

}
