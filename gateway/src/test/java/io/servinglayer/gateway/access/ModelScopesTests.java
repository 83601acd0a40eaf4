package io.servinglayer.gateway.access;

import io.servinglayer.gateway.routing.Routing;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.TestingAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;

class ModelScopesTests {

	private final ModelScopes anyVersion = ModelScopes.anyVersion(new Routing(), "predict:pinned");

	private final ModelScopes pinnedVersion = ModelScopes.pinnedVersion(new Routing(), "predict:pinned");

	@Test
	void aModelScopeGrantsThatModelOnly() {
		TestingAuthenticationToken caller = new TestingAuthenticationToken("caller", null, "SCOPE_predict:fraud");

		assertThat(this.anyVersion.allowed(caller, "fraud")).isTrue();
		assertThat(this.anyVersion.allowed(caller, "churn")).isFalse();
	}

	@Test
	void thePinnedScopeNeverGrantsAModelNamedAfterIt() {
		TestingAuthenticationToken caller = new TestingAuthenticationToken("caller", null, "SCOPE_predict:pinned");

		assertThat(this.anyVersion.allowed(caller, "pinned")).isFalse();
		assertThat(this.pinnedVersion.allowed(caller, "pinned")).isFalse();
	}

	@Test
	void aPinnedVersionNeedsAModelScopeAndThePinnedScope() {
		TestingAuthenticationToken both = new TestingAuthenticationToken("caller", null, "SCOPE_predict",
				"SCOPE_predict:pinned");
		TestingAuthenticationToken modelOnly = new TestingAuthenticationToken("caller", null, "SCOPE_predict");

		assertThat(this.pinnedVersion.allowed(both, "fraud")).isTrue();
		assertThat(this.pinnedVersion.allowed(modelOnly, "fraud")).isFalse();
	}

}
