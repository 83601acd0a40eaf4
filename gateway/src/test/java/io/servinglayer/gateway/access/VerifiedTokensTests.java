package io.servinglayer.gateway.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class VerifiedTokensTests {

	private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

	private final AtomicInteger verifications = new AtomicInteger();

	private Jwt jwt(Instant expiresAt) {
		return Jwt.withTokenValue("t").header("alg", "RS256").subject("demo").expiresAt(expiresAt).build();
	}

	@Test
	void aTokenVerifiedOnceIsAnsweredFromMemoryUntilMaxAge() {
		MutableClock clock = new MutableClock(NOW);
		VerifiedTokens tokens = new VerifiedTokens((token) -> {
			this.verifications.incrementAndGet();
			return Mono.just(jwt(NOW.plusSeconds(3600)));
		}, clock, Duration.ofMinutes(5), 100);
		tokens.decode("a").block();
		tokens.decode("a").block();
		assertThat(this.verifications).hasValue(1);
		clock.now = NOW.plus(Duration.ofMinutes(5));
		tokens.decode("a").block();
		assertThat(this.verifications).hasValue(2);
	}

	@Test
	void aRememberedTokenCarriesTheClientIdAndScopesReadWhenItWasVerified() {
		VerifiedTokens tokens = new VerifiedTokens((token) -> {
			this.verifications.incrementAndGet();
			return Mono.just(Jwt.withTokenValue(token)
				.header("alg", "RS256")
				.subject("subject-1")
				.claim("client_id", "demo-app")
				.claim("scope", "predict  predict:fraud")
				.expiresAt(NOW.plusSeconds(3600))
				.build());
		}, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5), 100);
		assertThat(tokens.remembered("a")).isNull();

		tokens.verify("a").block();

		VerifiedCaller caller = tokens.remembered("a");
		assertThat(caller.clientId()).isEqualTo("demo-app");
		assertThat(caller.scopes()).containsExactlyInAnyOrder("predict", "predict:fraud");
		assertThat(tokens.verify("a").block()).isSameAs(caller);
		assertThat(this.verifications).hasValue(1);
	}

	@Test
	void aTokenIsNeverAnsweredFromMemoryAfterItExpires() {
		MutableClock clock = new MutableClock(NOW);
		VerifiedTokens tokens = new VerifiedTokens((token) -> {
			this.verifications.incrementAndGet();
			return (clock.now.isBefore(NOW.plusSeconds(30))) ? Mono.just(jwt(NOW.plusSeconds(30)))
					: Mono.error(new BadJwtException("expired"));
		}, clock, Duration.ofMinutes(5), 100);
		tokens.decode("a").block();
		clock.now = NOW.plusSeconds(30);
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> tokens.decode("a").block());
		assertThat(this.verifications).hasValue(2);
	}

	@Test
	void refusedTokensAreNotRememberedAndTheTableStaysBounded() {
		VerifiedTokens tokens = new VerifiedTokens((token) -> {
			this.verifications.incrementAndGet();
			return token.startsWith("bad") ? Mono.error(new BadJwtException("no"))
					: Mono.just(jwt(NOW.plusSeconds(60)));
		}, new MutableClock(NOW), Duration.ofMinutes(5), 3);
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> tokens.decode("bad").block());
		}
		assertThat(this.verifications).hasValue(2);
		for (int i = 0; i < 10; i++) {
			tokens.decode("good" + i).block();
		}
		assertThat(tokens.size()).isLessThanOrEqualTo(3);
	}

	static final class MutableClock extends Clock {

		Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
