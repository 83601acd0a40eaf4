package io.servinglayer.gateway.balancing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servinglayer.gateway.balancing.InstanceBreaker.Admission;
import io.servinglayer.gateway.balancing.InstanceBreaker.State;
import io.servinglayer.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The breaker state machine, moved along by a clock instead of sleeps. */
class InstanceBreakersTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T00:00:00Z"));

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final InstanceBreakers breakers = new InstanceBreakers(settings(5), this.clock, this.meters);

	private final Instance flaky = new Instance("flaky", "http://flaky:1", "default", Set.of("fraud/1"));

	private final Instance steady = new Instance("steady", "http://steady:1", "default", Set.of("fraud/1"));

	private static BalancingSettings settings(int consecutiveFailures) {
		return new BalancingSettings(Duration.ofSeconds(1), Duration.ofMillis(800), Duration.ofSeconds(30), 1000,
				Duration.ofSeconds(1), consecutiveFailures, Duration.ofSeconds(5), Duration.ofSeconds(60), 50);
	}

	private void fail(Instance instance, int times) {
		for (int i = 0; i < times; i++) {
			this.breakers.failed(instance, this.breakers.admit(instance), "answered 503");
		}
	}

	@Test
	void ejectsAnInstanceAfterConsecutiveFailuresUntilTheBaseEjectionTimeHasPassed() {
		fail(this.flaky, 4);
		assertThat(this.breakers.state(this.flaky)).isEqualTo(State.CLOSED);
		assertThat(this.breakers.admitting(List.of(this.flaky, this.steady))).containsExactly(this.flaky, this.steady);

		fail(this.flaky, 1);

		assertThat(this.breakers.state(this.flaky)).isEqualTo(State.OPEN);
		assertThat(this.breakers.admitting(List.of(this.flaky, this.steady))).containsExactly(this.steady);
		this.clock.advance(Duration.ofMillis(4999));
		assertThat(this.breakers.state(this.flaky)).isEqualTo(State.OPEN);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.breakers.state(this.flaky)).isEqualTo(State.HALF_OPEN);
	}

	@Test
	void aSuccessBetweenFailuresStartsTheCountAgain() {
		fail(this.flaky, 4);
		this.breakers.succeeded(this.flaky, this.breakers.admit(this.flaky));
		fail(this.flaky, 4);

		assertThat(this.breakers.state(this.flaky)).isEqualTo(State.CLOSED);
		fail(this.flaky, 1);
		assertThat(this.breakers.state(this.flaky)).isEqualTo(State.OPEN);
	}

	@Test
	void aHalfOpenInstanceLetsOneTrialThroughAndItsSuccessClosesTheBreaker() {
		fail(this.flaky, 5);
		this.clock.advance(Duration.ofSeconds(5));

		assertThat(this.breakers.admitting(List.of(this.flaky))).containsExactly(this.flaky);
		Admission trial = this.breakers.admit(this.flaky);
		assertThat(trial).isEqualTo(Admission.TRIAL);
		assertThat(this.breakers.admitting(List.of(this.flaky, this.steady))).as("while the trial is under way")
			.containsExactly(this.steady);
		assertThat(this.breakers.admit(this.flaky)).isEqualTo(Admission.WHILE_EJECTED);

		this.breakers.succeeded(this.flaky, trial);

		assertThat(this.breakers.state(this.flaky)).isEqualTo(State.CLOSED);
		assertThat(this.breakers.admit(this.flaky)).isEqualTo(Admission.REGULAR);
		fail(this.flaky, 4);
		assertThat(this.breakers.state(this.flaky)).as("the count starts from zero").isEqualTo(State.CLOSED);
	}

	@Test
	void aFailedTrialEjectsAgainForOneBaseTimeLongerUpToTheMaximum() {
		fail(this.flaky, 5);
		long[] expectedSeconds = { 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 60, 60 };
		Duration ejection = Duration.ofSeconds(5);
		for (long expected : expectedSeconds) {
			this.clock.advance(ejection);
			Admission trial = this.breakers.admit(this.flaky);
			assertThat(trial).isEqualTo(Admission.TRIAL);
			this.breakers.failed(this.flaky, trial, "answered 503");
			ejection = Duration.ofSeconds(expected);
			this.clock.advance(ejection.minusMillis(1));
			assertThat(this.breakers.state(this.flaky)).as("%s s into an ejection of %s s", expected, expected)
				.isEqualTo(State.OPEN);
			this.clock.advance(Duration.ofMillis(1));
			assertThat(this.breakers.state(this.flaky)).isEqualTo(State.HALF_OPEN);
			ejection = Duration.ZERO;
		}
	}

	@Test
	void anInstanceEjectedAgainSoonAfterComingBackStaysOutLongerButOneHealthyForTheMaximumStartsAfresh() {
		fail(this.flaky, 5);
		this.clock.advance(Duration.ofSeconds(5));
		this.breakers.succeeded(this.flaky, this.breakers.admit(this.flaky));

		this.clock.advance(Duration.ofSeconds(30));
		fail(this.flaky, 5);
		this.clock.advance(Duration.ofSeconds(9));
		assertThat(this.breakers.state(this.flaky)).as("a second ejection in a row lasts 10 s").isEqualTo(State.OPEN);
		this.clock.advance(Duration.ofSeconds(1));
		this.breakers.succeeded(this.flaky, this.breakers.admit(this.flaky));

		this.clock.advance(Duration.ofSeconds(60));
		fail(this.flaky, 5);
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.breakers.state(this.flaky)).as("forgotten after 60 s healthy: 5 s again")
			.isEqualTo(State.HALF_OPEN);
	}

	@Test
	void whenEveryCandidateIsEjectedNoneIsAdmittingAndAnAttemptSentAnywayChangesNothing() {
		fail(this.flaky, 5);
		fail(this.steady, 5);

		assertThat(this.breakers.admitting(List.of(this.flaky, this.steady))).isEmpty();
		Admission anyway = this.breakers.admit(this.flaky);
		assertThat(anyway).isEqualTo(Admission.WHILE_EJECTED);
		this.breakers.succeeded(this.flaky, anyway);
		assertThat(this.breakers.state(this.flaky)).isEqualTo(State.OPEN);
		this.breakers.failed(this.flaky, anyway, "answered 503");
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.breakers.state(this.flaky)).as("the ejection was not extended").isEqualTo(State.HALF_OPEN);
	}

	@Test
	void failuresOfAttemptsLetThroughBeforeTheEjectionDoNotExtendIt() {
		Admission earlier = this.breakers.admit(this.flaky);
		fail(this.flaky, 5);
		this.breakers.failed(this.flaky, earlier, "no answer in time");
		this.clock.advance(Duration.ofSeconds(5));

		assertThat(this.breakers.state(this.flaky)).isEqualTo(State.HALF_OPEN);
	}

	@Test
	void aTrialAbandonedByItsClientFreesTheTrialForTheNextAttempt() {
		fail(this.flaky, 5);
		this.clock.advance(Duration.ofSeconds(5));
		Admission trial = this.breakers.admit(this.flaky);

		this.breakers.abandoned(this.flaky, trial);

		assertThat(this.breakers.state(this.flaky)).isEqualTo(State.HALF_OPEN);
		assertThat(this.breakers.admit(this.flaky)).isEqualTo(Admission.TRIAL);
	}

	@Test
	void aTrialWhoseOutcomeNeverCameStopsHoldingTheTrialAfterTheMaximumEjectionTime() {
		fail(this.flaky, 5);
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.breakers.admit(this.flaky)).isEqualTo(Admission.TRIAL);

		this.clock.advance(Duration.ofSeconds(59));
		assertThat(this.breakers.admit(this.flaky)).isEqualTo(Admission.WHILE_EJECTED);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.breakers.admit(this.flaky)).isEqualTo(Admission.TRIAL);
	}

	@Test
	void zeroConsecutiveFailuresNeverEjects() {
		InstanceBreakers never = new InstanceBreakers(settings(0), this.clock, this.meters);
		for (int i = 0; i < 100; i++) {
			never.failed(this.flaky, never.admit(this.flaky), "answered 503");
		}

		assertThat(never.state(this.flaky)).isEqualTo(State.CLOSED);
		assertThat(never.size()).isZero();
	}

	@Test
	void breakersOfInstancesNoLongerAnnouncedOrWithNothingToRememberAreDropped() {
		Instance restarted = new Instance("flaky-2", this.flaky.baseUrl(), "default", Set.of("fraud/1"));
		fail(this.flaky, 5);
		fail(this.steady, 1);
		this.breakers.succeeded(this.steady, this.breakers.admit(this.steady));
		assertThat(this.breakers.size()).isEqualTo(2);

		this.breakers.retain(List.of(this.flaky, this.steady));
		assertThat(this.breakers.size()).as("steady has nothing to remember").isOne();

		this.breakers.retain(List.of(restarted, this.steady));
		assertThat(this.breakers.size()).as("another instance at flaky's address starts afresh").isZero();
		assertThat(this.breakers.state(restarted)).isEqualTo(State.CLOSED);
	}

	@Test
	void countsEjectionsAndGaugesTheInstancesEjectedNowByPool() {
		Instance elsewhere = new Instance("far", "http://far:1", "gpu", Set.of("big/1"));
		fail(this.flaky, 5);
		fail(this.steady, 5);
		fail(elsewhere, 5);

		assertThat(this.meters.get("gateway.instances.ejections").tag("pool", "default").counter().count())
			.isEqualTo(2);
		assertThat(this.meters.get("gateway.instances.ejected").tag("pool", "default").gauge().value()).isEqualTo(2);
		assertThat(this.meters.get("gateway.instances.ejected").tag("pool", "gpu").gauge().value()).isEqualTo(1);

		this.clock.advance(Duration.ofSeconds(5));
		this.breakers.succeeded(this.flaky, this.breakers.admit(this.flaky));
		Admission trial = this.breakers.admit(this.steady);
		this.breakers.failed(this.steady, trial, "answered 503");

		assertThat(this.meters.get("gateway.instances.ejected").tag("pool", "default").gauge().value()).isEqualTo(1);
		assertThat(this.meters.get("gateway.instances.ejections").tag("pool", "default").counter().count())
			.as("a failed trial is an ejection too")
			.isEqualTo(3);
		this.breakers.retain(List.of(this.flaky));
		assertThat(this.meters.get("gateway.instances.ejected").tag("pool", "default").gauge().value()).isZero();
	}

}
