package io.servinglayer.gateway.access;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Counts requests the gateway refuses for their credentials, on both paths, as the
 * authentication-failure SLI: {@code gateway.access.refused} tagged with a reason from a
 * fixed set, never with a client id or anything from the token.
 */
public final class AccessRefusals {

	/** Why a request was refused. */
	public enum Reason {

		/** No {@code Authorization} header. */
		MISSING,

		/** A header that is not a bearer token. */
		MALFORMED,

		/** A token that is not ours, not for us, or not well-formed. */
		INVALID,

		/** A token past its {@code exp}. */
		EXPIRED,

		/** A valid token without the scope the call needs (or of a disabled client). */
		INSUFFICIENT_SCOPE;

		String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private final Map<Reason, Counter> counters = new ConcurrentHashMap<>();

	public AccessRefusals(MeterRegistry meters) {
		for (Reason reason : Reason.values()) {
			this.counters.put(reason,
					Counter.builder("gateway.access.refused")
						.description("Requests refused for their credentials, by reason")
						.tag("reason", reason.tag())
						.register(meters));
		}
	}

	public void count(Reason reason) {
		this.counters.get(reason).increment();
	}

	/**
	 * {@link Reason#EXPIRED} when the failure (or one of its causes) is a validation
	 * failure of the token's expiry, else {@link Reason#INVALID}.
	 */
	static Reason invalidOrExpired(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof JwtValidationException validation && validation.getErrors()
				.stream()
				.anyMatch((error) -> error.getDescription() != null && error.getDescription().contains("expired"))) {
				return Reason.EXPIRED;
			}
		}
		return Reason.INVALID;
	}

}
