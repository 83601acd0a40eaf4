package io.servinglayer.inferenceservice.access;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.servinglayer.inferenceservice.access.CallerTokens.Verdict;
import io.servinglayer.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import static org.assertj.core.api.Assertions.assertThat;

class CallerTokensTests {

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	private final MutableClock clock = new MutableClock(START);

	private final AtomicInteger decoded = new AtomicInteger();

	/**
	 * Spring Security's decoder contract, answering by the token's text: what a verified
	 * token of the control plane would hold, valid for one minute from the start.
	 */
	private final JwtDecoder decoder = (token) -> {
		this.decoded.incrementAndGet();
		if (token.startsWith("bad")) {
			throw new BadJwtException("signature does not verify");
		}
		if (token.startsWith("keys-down")) {
			throw new JwtException("Couldn't retrieve remote JWK set");
		}
		if (!this.clock.instant().isBefore(START.plusSeconds(60))) {
			throw new BadJwtException("Jwt expired");
		}
		Object scope = switch (token) {
			case "space-separated" -> "routing:read inference:call";
			case "other-scope" -> List.of("routing:read");
			default -> List.of("inference:call");
		};
		return Jwt.withTokenValue(token)
			.header("alg", "RS256")
			.issuedAt(START)
			.expiresAt(START.plusSeconds(60))
			.claim("scope", scope)
			.build();
	};

	private final CallerTokens tokens = CallerTokens.required(this.decoder, "inference:call", this.clock, 2);

	static Stream<Arguments> headers() {
		return Stream.of(Arguments.of("no header", null, Verdict.MISSING),
				Arguments.of("another scheme", "Basic Zm9vOmJhcg==", Verdict.MISSING),
				Arguments.of("a scheme without a token", "Bearer ", Verdict.MISSING),
				Arguments.of("a token that does not verify", "Bearer bad", Verdict.INVALID),
				Arguments.of("a token without the scope", "Bearer other-scope", Verdict.INSUFFICIENT_SCOPE),
				Arguments.of("a token with the scope as a list", "Bearer good", Verdict.ALLOWED),
				Arguments.of("a token with the scope in a string", "bearer space-separated", Verdict.ALLOWED),
				Arguments.of("a token whose keys cannot be read", "Bearer keys-down", Verdict.UNVERIFIABLE));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("headers")
	void answersEachKindOfCaller(String description, String header, Verdict expected) {
		assertThat(this.tokens.check(header)).isEqualTo(expected);
	}

	@Test
	void aVerifiedTokenCostsOneVerificationUntilItsExpiry() {
		assertThat(this.tokens.check("Bearer good")).isEqualTo(Verdict.ALLOWED);
		this.clock.advance(Duration.ofSeconds(59));
		assertThat(this.tokens.check("Bearer good")).isEqualTo(Verdict.ALLOWED);
		assertThat(this.tokens.check("Bearer other-scope")).isEqualTo(Verdict.INSUFFICIENT_SCOPE);
		assertThat(this.tokens.check("Bearer other-scope")).isEqualTo(Verdict.INSUFFICIENT_SCOPE);

		assertThat(this.decoded).hasValue(2);
	}

	@Test
	void neverAnswersARememberedTokenAtOrPastItsExpiry() {
		assertThat(this.tokens.check("Bearer good")).isEqualTo(Verdict.ALLOWED);

		this.clock.advance(Duration.ofSeconds(60));

		assertThat(this.tokens.check("Bearer good")).isEqualTo(Verdict.INVALID);
		assertThat(this.decoded).hasValue(2);
	}

	@Test
	void refusesATokenTheDecoderTookThatIsPastItsExpiryByTheClock() {
		JwtDecoder lenient = (token) -> Jwt.withTokenValue(token)
			.header("alg", "RS256")
			.expiresAt(START.minusSeconds(30))
			.claim("scope", List.of("inference:call"))
			.build();

		assertThat(CallerTokens.required(lenient, "inference:call", this.clock, 2).check("Bearer late"))
			.isEqualTo(Verdict.INVALID);
	}

	@Test
	void neverRemembersAFailure() {
		this.tokens.check("Bearer bad");
		this.tokens.check("Bearer bad");
		this.tokens.check("Bearer keys-down");

		assertThat(this.decoded).hasValue(3);
		assertThat(this.tokens.remembered()).isZero();
	}

	@Test
	void remembersAtMostTheConfiguredNumberOfTokens() {
		for (int i = 0; i < 50; i++) {
			this.tokens.check("Bearer good-" + i);
		}

		assertThat(this.tokens.remembered()).isLessThanOrEqualTo(2);
	}

	@Test
	void allowsEveryCallWhenTokensAreNotRequired() {
		CallerTokens open = CallerTokens.open();

		assertThat(open.required()).isFalse();
		assertThat(open.check(null)).isEqualTo(Verdict.ALLOWED);
		assertThat(open.check("Bearer bad")).isEqualTo(Verdict.ALLOWED);
	}

}
