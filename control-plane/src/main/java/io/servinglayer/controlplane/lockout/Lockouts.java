package io.servinglayer.controlplane.lockout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Counts failed authentications per principal (a client id or a username) <em>and source
 * address</em>, and locks that pair out after too many. Keyed so, an attacker who knows a
 * client id or username can lock it out only from the attacker's own address, never for
 * the real owner elsewhere; the price is that guesses spread over many addresses are
 * slowed per address only, which is why secrets are long and the console listens on
 * loopback by default. Principals that do not exist are counted and locked like those
 * that do, so a lockout does not tell which exist.
 * <p>
 * The source address is the peer's address as the servlet container sees it: behind a
 * proxy, configure {@code server.forward-headers-strategy} so it is the client's.
 */
@Component
public class Lockouts {

	private static final Logger logger = LoggerFactory.getLogger(Lockouts.class);

	/**
	 * How long a pair's count is kept after its last failure, once any lock has ended.
	 */
	private static final Duration RETENTION = Duration.ofDays(1);

	private final JdbcClient jdbc;

	private final Clock clock;

	Lockouts(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Who a count is about. */
	public enum Kind {

		/** An API client at the token endpoint, by client id. */
		CLIENT("client"),

		/** A person signing in to the console, by username. */
		USER("user");

		private final String column;

		Kind(String column) {
			this.column = column;
		}

	}

	/** How long the pair is still locked out; empty when it is not. */
	public Optional<Duration> lockedFor(Kind kind, String principal, String source, Instant now) {
		return this.jdbc
			.sql("SELECT locked_until FROM sign_in_failure WHERE kind = ? AND principal = ? AND source_address = ?")
			.params(kind.column, principal, source)
			.query((rs, row) -> rs.getObject("locked_until", OffsetDateTime.class))
			.optional()
			.map(OffsetDateTime::toInstant)
			.filter(now::isBefore)
			.map((until) -> Duration.between(now, until));
	}

	/**
	 * Counts one more failure of the pair, and locks it when the policy says so.
	 * @return the consecutive failures and the lock they earned (zero when none)
	 */
	public Failure recordFailure(Kind kind, String principal, String source, Instant now, LockoutPolicy policy) {
		int failures = this.jdbc
			.sql("""
					INSERT INTO sign_in_failure (kind, principal, source_address, failed_attempts, last_failure_at)
					VALUES (?, ?, ?, 1, ?)
					ON CONFLICT (kind, principal, source_address)
					DO UPDATE SET failed_attempts = sign_in_failure.failed_attempts + 1, last_failure_at = EXCLUDED.last_failure_at
					RETURNING failed_attempts""")
			.params(kind.column, principal, source, utc(now))
			.query(Integer.class)
			.single();
		Duration lock = policy.lockFor(failures);
		if (!lock.isZero()) {
			this.jdbc
				.sql("UPDATE sign_in_failure SET locked_until = ? "
						+ "WHERE kind = ? AND principal = ? AND source_address = ?")
				.params(utc(now.plus(lock)), kind.column, principal, source)
				.update();
		}
		return new Failure(failures, lock);
	}

	/** Forgets the pair's failures: it authenticated. */
	public void clear(Kind kind, String principal, String source) {
		this.jdbc.sql("DELETE FROM sign_in_failure WHERE kind = ? AND principal = ? AND source_address = ?")
			.params(kind.column, principal, source)
			.update();
	}

	/**
	 * Forgets the principal's failures from every address: its credentials were reset.
	 */
	public void clearAll(Kind kind, String principal) {
		this.jdbc.sql("DELETE FROM sign_in_failure WHERE kind = ? AND principal = ?")
			.params(kind.column, principal)
			.update();
	}

	/** Keeps the table bounded: counts of pairs that stopped failing a while ago go. */
	@Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT2M")
	void purge() {
		Instant now = this.clock.instant();
		int deleted = this.jdbc
			.sql("DELETE FROM sign_in_failure WHERE last_failure_at < ? AND (locked_until IS NULL OR locked_until < ?)")
			.params(utc(now.minus(RETENTION)), utc(now))
			.update();
		if (deleted > 0) {
			logger.info("Forgot the failed sign-ins of {} principal and address pairs", deleted);
		}
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	/**
	 * A recorded failure: the pair's consecutive failures, and how long it is now locked
	 * (zero when it is not).
	 */
	public record Failure(int consecutiveFailures, Duration lockedFor) {
	}

}
