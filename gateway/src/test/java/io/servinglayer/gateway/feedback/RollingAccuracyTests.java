package io.servinglayer.gateway.feedback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RollingAccuracyTests {

	private final MovableClock clock = new MovableClock();

	private final RollingAccuracy accuracy = new RollingAccuracy(this.clock, Duration.ofMinutes(60), 60, 4);

	@Test
	void readsNaNUntilTheWindowHoldsTheMinimumOfLabels() {
		this.accuracy.record(3, 0);
		assertThat(this.accuracy.value()).isNaN();

		this.accuracy.record(0, 1);
		assertThat(this.accuracy.value()).isEqualTo(0.75);
	}

	@Test
	void labelsOlderThanTheWindowLeaveIt() {
		this.accuracy.record(10, 0);
		this.clock.advance(Duration.ofMinutes(30));
		this.accuracy.record(0, 10);
		assertThat(this.accuracy.value()).isEqualTo(0.5);

		this.clock.advance(Duration.ofMinutes(31));
		assertThat(this.accuracy.value()).isEqualTo(0.0);

		this.clock.advance(Duration.ofMinutes(30));
		assertThat(this.accuracy.value()).isNaN();
	}

	@Test
	void aSliceWrittenAgainAfterTheWindowWentRoundStartsFromNothing() {
		this.accuracy.record(5, 0);
		this.clock.advance(Duration.ofMinutes(60));
		this.accuracy.record(0, 5);

		assertThat(this.accuracy.value()).isEqualTo(0.0);
	}

	private static final class MovableClock extends Clock {

		private Instant now = Instant.parse("2026-12-03T08:00:00Z");

		void advance(Duration by) {
			this.now = this.now.plus(by);
		}

		@Override
		public ZoneId getZone() {
			return ZoneId.of("UTC");
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
