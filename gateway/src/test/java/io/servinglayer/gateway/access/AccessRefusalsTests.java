package io.servinglayer.gateway.access;

import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import static org.assertj.core.api.Assertions.assertThat;

class AccessRefusalsTests {

	@Test
	void aTokenPastItsExpiryIsCountedAsExpiredAndAnyOtherBadTokenAsInvalid() {
		JwtValidationException expired = new JwtValidationException("An error occurred while attempting to decode",
				List.of(new OAuth2Error("invalid_token", "Jwt expired at 2026-12-02T10:00:00Z", null)));
		JwtValidationException wrongIssuer = new JwtValidationException("An error occurred while attempting to decode",
				List.of(new OAuth2Error("invalid_token", "The iss claim is not valid", null)));

		assertThat(AccessRefusals.invalidOrExpired(expired)).isEqualTo(AccessRefusals.Reason.EXPIRED);
		assertThat(AccessRefusals.invalidOrExpired(new RuntimeException("wrapped", expired)))
			.isEqualTo(AccessRefusals.Reason.EXPIRED);
		assertThat(AccessRefusals.invalidOrExpired(wrongIssuer)).isEqualTo(AccessRefusals.Reason.INVALID);
		assertThat(AccessRefusals.invalidOrExpired(new BadJwtException("not a JWT")))
			.isEqualTo(AccessRefusals.Reason.INVALID);
	}

	@Test
	void everyReasonHasItsCounterFromTheStart() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		AccessRefusals refusals = new AccessRefusals(meters);

		refusals.count(AccessRefusals.Reason.EXPIRED);

		assertThat(meters.find("gateway.access.refused").counters()).hasSize(5);
		assertThat(meters.get("gateway.access.refused").tag("reason", "expired").counter().count()).isEqualTo(1);
		assertThat(meters.get("gateway.access.refused").tag("reason", "missing").counter().count()).isZero();
	}

}
