package io.servinglayer.gateway.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Remembers tokens the decoder has verified (signature, issuer, audience, timestamps), so
 * a client that sends the same token on every request costs one RSA verification per
 * {@code maxAge}, not one per request. A remembered token is answered only until its
 * {@code exp} and at most {@code maxAge} after it was verified. The memory is a Caffeine
 * cache bounded by {@code maxEntries}: when full it forgets the tokens least likely to
 * come again, one at a time, instead of sending every caller back to verification at
 * once. Failures are never remembered.
 */
public final class VerifiedTokens implements ReactiveJwtDecoder {

	private final ReactiveJwtDecoder decoder;

	private final Clock clock;

	private final Duration maxAge;

	private final Cache<String, VerifiedCaller> verified;

	VerifiedTokens(ReactiveJwtDecoder decoder, Clock clock, Duration maxAge, int maxEntries) {
		this.decoder = decoder;
		this.clock = clock;
		this.maxAge = maxAge;
		this.verified = Caffeine.newBuilder()
			.maximumSize(maxEntries)
			.expireAfter(Expiry.<String, VerifiedCaller>creating((token, caller) -> lifetime(caller.jwt())))
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			// Evictions run on the caller's thread: no pool of the cache's own.
			.executor(Runnable::run)
			.build();
	}

	@Override
	public Mono<Jwt> decode(String token) {
		return verify(token).map(VerifiedCaller::jwt);
	}

	/** The token's caller, from memory when it was verified before, else verified now. */
	Mono<VerifiedCaller> verify(String token) {
		VerifiedCaller caller = remembered(token);
		if (caller != null) {
			return Mono.just(caller);
		}
		return this.decoder.decode(token).map(VerifiedCaller::of).doOnNext((verified) -> remember(token, verified));
	}

	/**
	 * The token's caller when it was verified and may still be answered from memory, with
	 * its client id and scopes read once, at verification.
	 */
	VerifiedCaller remembered(String token) {
		return this.verified.getIfPresent(token);
	}

	private void remember(String token, VerifiedCaller caller) {
		if (caller.jwt().getExpiresAt() != null && !lifetime(caller.jwt()).isZero()) {
			this.verified.put(token, caller);
		}
	}

	private Duration lifetime(Jwt jwt) {
		Instant now = this.clock.instant();
		Instant until = now.plus(this.maxAge);
		if (jwt.getExpiresAt() != null && jwt.getExpiresAt().isBefore(until)) {
			until = jwt.getExpiresAt();
		}
		return until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO;
	}

	long size() {
		this.verified.cleanUp();
		return this.verified.estimatedSize();
	}

}
