package io.servinglayer.inferenceservice.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Checks the bearer token of a model call. A token the decoder verified (signature,
 * issuer, audience, timestamps) is remembered by its text, with whether it carries the
 * scope, until its {@code exp} and never later, in a bounded table; so a gateway that
 * sends the same token on every call costs one lookup per call and one verification per
 * token. Failures are never remembered. Runs on the caller's thread: no thread hops,
 * cache upkeep included.
 */
public final class CallerTokens {

	/** What a check found. */
	public enum Verdict {

		/** A verified token with the scope, or tokens are not required. */
		ALLOWED,

		/** No bearer token was sent. */
		MISSING,

		/** The token is not valid: malformed, not signed by the issuer, expired. */
		INVALID,

		/** A valid token without the scope. */
		INSUFFICIENT_SCOPE,

		/** The signing keys could not be read, so the token could not be checked. */
		UNVERIFIABLE

	}

	private static final String BEARER = "Bearer ";

	private final JwtDecoder decoder;

	private final String scope;

	private final Clock clock;

	private final Cache<TokenKey, Verified> verified;

	private CallerTokens(JwtDecoder decoder, String scope, Clock clock, int maxEntries) {
		this.decoder = decoder;
		this.scope = scope;
		this.clock = clock;
		this.verified = (decoder != null) ? Caffeine.newBuilder()
			.maximumSize(maxEntries)
			.executor(Runnable::run)
			.expireAfter(new UntilExpiry(clock))
			.build() : null;
	}

	/** Every call allowed: tokens are not required. */
	public static CallerTokens open() {
		return new CallerTokens(null, null, Clock.systemUTC(), 1);
	}

	/**
	 * Calls need a token the decoder accepts that carries {@code scope}.
	 * @param maxEntries the most verified tokens remembered
	 */
	public static CallerTokens required(JwtDecoder decoder, String scope, Clock clock, int maxEntries) {
		return new CallerTokens(decoder, scope, clock, maxEntries);
	}

	/** Whether calls need a token at all. */
	public boolean required() {
		return this.decoder != null;
	}

	/** The scope a token must carry; {@code null} when tokens are not required. */
	public String scope() {
		return this.scope;
	}

	/**
	 * Checks a call by its {@code Authorization} header ({@code null} when none was
	 * sent).
	 */
	public Verdict check(String authorization) {
		if (this.decoder == null) {
			return Verdict.ALLOWED;
		}
		if (authorization == null || authorization.length() <= BEARER.length()
				|| !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return Verdict.MISSING;
		}
		TokenKey key = TokenKey.of(authorization);
		Verified known = this.verified.getIfPresent(key);
		if (known != null && this.clock.instant().isBefore(known.expiresAt())) {
			return known.scoped() ? Verdict.ALLOWED : Verdict.INSUFFICIENT_SCOPE;
		}
		String token = authorization.substring(BEARER.length()).trim();
		Jwt jwt;
		try {
			jwt = this.decoder.decode(token);
		}
		catch (BadJwtException ex) {
			return Verdict.INVALID;
		}
		catch (JwtException ex) {
			return Verdict.UNVERIFIABLE;
		}
		if (jwt.getExpiresAt() == null || !this.clock.instant().isBefore(jwt.getExpiresAt())) {
			// Remembered only until exp: a token without one, or past it by our clock, is
			// not taken.
			return Verdict.INVALID;
		}
		Verified checked = new Verified(jwt.getExpiresAt(), hasScope(jwt));
		this.verified.put(key, checked);
		return checked.scoped() ? Verdict.ALLOWED : Verdict.INSUFFICIENT_SCOPE;
	}

	/**
	 * The {@code scope} claim as a list (the control plane's) or a space-separated
	 * string.
	 */
	private boolean hasScope(Jwt jwt) {
		Object claim = jwt.getClaim("scope");
		if (claim instanceof Collection<?> scopes) {
			return scopes.contains(this.scope);
		}
		if (claim instanceof String scopes) {
			for (String one : scopes.split(" ")) {
				if (one.equals(this.scope)) {
					return true;
				}
			}
		}
		return false;
	}

	/** How many verified tokens are remembered now. */
	long remembered() {
		return (this.verified != null) ? this.verified.estimatedSize() : 0;
	}

	private record Verified(Instant expiresAt, boolean scoped) {
	}

	/**
	 * A token by its text: the header as sent, {@code Bearer } and all, so a hit needs no
	 * cut. Hashed over its last characters only (the signature's, which no two tokens
	 * share, and which only the issuer can make verify), since hashing all of a token's
	 * ~850 characters cost most of a lookup; equal only when the whole text is.
	 */
	private record TokenKey(String header, int hash) {

		private static final int HASHED = 32;

		static TokenKey of(String header) {
			int hash = header.length();
			for (int i = Math.max(0, header.length() - HASHED); i < header.length(); i++) {
				hash = 31 * hash + header.charAt(i);
			}
			return new TokenKey(header, hash);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof TokenKey key && key.hash == this.hash && key.header.equals(this.header);
		}

		@Override
		public int hashCode() {
			return this.hash;
		}

	}

	/** Each entry leaves the table at its token's {@code exp}, by the clock. */
	private record UntilExpiry(Clock clock) implements Expiry<TokenKey, Verified> {

		/** Past this, nanoseconds overflow; the check on each hit still holds to exp. */
		private static final Duration LONGEST = Duration.ofDays(365L * 100);

		@Override
		public long expireAfterCreate(TokenKey token, Verified value, long currentTime) {
			Duration left = Duration.between(this.clock.instant(), value.expiresAt());
			return left.isNegative() ? 0 : (left.compareTo(LONGEST) > 0) ? LONGEST.toNanos() : left.toNanos();
		}

		@Override
		public long expireAfterUpdate(TokenKey token, Verified value, long currentTime, long currentDuration) {
			return expireAfterCreate(token, value, currentTime);
		}

		@Override
		public long expireAfterRead(TokenKey token, Verified value, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
