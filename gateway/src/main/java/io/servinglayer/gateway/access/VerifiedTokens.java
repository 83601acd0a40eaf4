package io.servinglayer.gateway.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Remembers tokens the decoder has verified (signature, issuer, audience, timestamps), so
 * a client that sends the same token on every request costs one RSA verification per
 * {@code maxAge}, not one per request. A remembered token is answered only until its
 * {@code exp} and at most {@code maxAge} after it was verified; the table is bounded and
 * emptied when full. Failures are never remembered.
 */
final class VerifiedTokens implements ReactiveJwtDecoder {

	private final ReactiveJwtDecoder decoder;

	private final Clock clock;

	private final Duration maxAge;

	private final int maxEntries;

	private final ConcurrentHashMap<String, Entry> verified = new ConcurrentHashMap<>();

	VerifiedTokens(ReactiveJwtDecoder decoder, Clock clock, Duration maxAge, int maxEntries) {
		this.decoder = decoder;
		this.clock = clock;
		this.maxAge = maxAge;
		this.maxEntries = maxEntries;
	}

	@Override
	public Mono<Jwt> decode(String token) {
		Entry entry = this.verified.get(token);
		if (entry != null) {
			if (this.clock.instant().isBefore(entry.until())) {
				return Mono.just(entry.jwt());
			}
			this.verified.remove(token, entry);
		}
		return this.decoder.decode(token).doOnNext((jwt) -> remember(token, jwt));
	}

	private void remember(String token, Jwt jwt) {
		if (jwt.getExpiresAt() == null) {
			return;
		}
		Instant until = this.clock.instant().plus(this.maxAge);
		if (jwt.getExpiresAt().isBefore(until)) {
			until = jwt.getExpiresAt();
		}
		if (this.verified.size() >= this.maxEntries) {
			this.verified.clear();
		}
		this.verified.put(token, new Entry(jwt, until));
	}

	int size() {
		return this.verified.size();
	}

	private record Entry(Jwt jwt, Instant until) {
	}

}
