package io.servinglayer.controlplane.lockout;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.servinglayer.testsupport.MutableClock;
import io.servinglayer.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures are counted per principal and source address, on a real PostgreSQL: a lockout
 * aimed at a client id or username holds only where it was earned.
 */
class LockoutsIntegrationTests {

	private static final LockoutPolicy POLICY = new LockoutPolicy(5, Duration.ofSeconds(30), Duration.ofMinutes(15));

	private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));

	private Lockouts lockouts;

	@BeforeEach
	void database() {
		TestPostgres.Database database = TestPostgres.get().createDatabase();
		DriverManagerDataSource dataSource = new DriverManagerDataSource(database.jdbcUrl(), database.username(),
				database.password());
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
		this.lockouts = new Lockouts(JdbcClient.create(dataSource), this.clock);
	}

	@Test
	void failuresFromOneAddressLockThePrincipalOutFromThereOnly() {
		for (int i = 0; i < 4; i++) {
			assertThat(fail(Lockouts.Kind.CLIENT, "shop-web", "203.0.113.9").lockedFor()).isZero();
		}
		Lockouts.Failure fifth = fail(Lockouts.Kind.CLIENT, "shop-web", "203.0.113.9");

		assertThat(fifth.consecutiveFailures()).isEqualTo(5);
		assertThat(fifth.lockedFor()).isEqualTo(Duration.ofSeconds(30));
		assertThat(locked(Lockouts.Kind.CLIENT, "shop-web", "203.0.113.9")).hasValue(Duration.ofSeconds(30));
		assertThat(locked(Lockouts.Kind.CLIENT, "shop-web", "198.51.100.7")).isEmpty();
		assertThat(locked(Lockouts.Kind.USER, "shop-web", "203.0.113.9")).as("a user of the same name").isEmpty();
		assertThat(locked(Lockouts.Kind.CLIENT, "other", "203.0.113.9")).isEmpty();
	}

	@Test
	void eachFailureAfterTheLockDoublesItAndASuccessForgetsTheCount() {
		for (int i = 0; i < 5; i++) {
			fail(Lockouts.Kind.USER, "operator", "::1");
		}
		this.clock.advance(Duration.ofSeconds(31));
		assertThat(locked(Lockouts.Kind.USER, "operator", "::1")).isEmpty();
		assertThat(fail(Lockouts.Kind.USER, "operator", "::1").lockedFor()).isEqualTo(Duration.ofMinutes(1));

		this.lockouts.clear(Lockouts.Kind.USER, "operator", "::1");

		assertThat(locked(Lockouts.Kind.USER, "operator", "::1")).isEmpty();
		assertThat(fail(Lockouts.Kind.USER, "operator", "::1").consecutiveFailures()).isEqualTo(1);
	}

	@Test
	void countsOfPairsThatStoppedFailingAreForgottenOnceTheirLockEnded() {
		for (int i = 0; i < 5; i++) {
			fail(Lockouts.Kind.CLIENT, "old", "192.0.2.1");
		}
		fail(Lockouts.Kind.CLIENT, "recent", "192.0.2.1");
		this.clock.advance(Duration.ofHours(23));
		fail(Lockouts.Kind.CLIENT, "recent", "192.0.2.1");
		this.clock.advance(Duration.ofHours(2));

		this.lockouts.purge();

		assertThat(fail(Lockouts.Kind.CLIENT, "old", "192.0.2.1").consecutiveFailures()).isEqualTo(1);
		assertThat(fail(Lockouts.Kind.CLIENT, "recent", "192.0.2.1").consecutiveFailures()).isEqualTo(3);
	}

	private Lockouts.Failure fail(Lockouts.Kind kind, String principal, String source) {
		return this.lockouts.recordFailure(kind, principal, source, this.clock.instant(), POLICY);
	}

	private Optional<Duration> locked(Lockouts.Kind kind, String principal, String source) {
		Instant now = this.clock.instant();
		return this.lockouts.lockedFor(kind, principal, source, now);
	}

}
