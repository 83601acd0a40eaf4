package io.servinglayer.controlplane.outcomes;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OutcomeCountsTests {

	private static final List<Integer> BOUNDS = List.of(25, 50, 100, 200);

	@Test
	void aQuantileIsInterpolatedInsideItsBucketAsHistogramQuantileDoes() {
		OutcomeCounts counts = new OutcomeCounts(100, 0, 0, Map.of("le_25", 50L, "le_50", 40L, "le_100", 10L));

		// Rank 50 is the last request of the first bucket; rank 95 is half-way into the
		// third.
		assertThat(counts.quantileMs(0.5, BOUNDS)).isCloseTo(25.0, within(1e-9));
		assertThat(counts.quantileMs(0.95, BOUNDS)).isCloseTo(75.0, within(1e-9));
	}

	@Test
	void aQuantileAboveTheHighestBoundIsThatBoundAndNoRequestsHaveNone() {
		OutcomeCounts slow = new OutcomeCounts(10, 0, 0, Map.of("le_inf", 10L));

		assertThat(slow.quantileMs(0.99, BOUNDS)).isEqualTo(200.0);
		assertThat(OutcomeCounts.NONE.quantileMs(0.99, BOUNDS)).isNull();
	}

	@Test
	void requestsWithinAThresholdAddUpEveryBucketUpToIt() {
		OutcomeCounts counts = new OutcomeCounts(100, 0, 0,
				Map.of("le_25", 50L, "le_50", 40L, "le_100", 9L, "le_inf", 1L));

		assertThat(counts.within(50, BOUNDS)).isEqualTo(90);
		assertThat(counts.within(100, BOUNDS)).isEqualTo(99);
	}

	@Test
	void countsAddUpFieldByField() {
		OutcomeCounts sum = new OutcomeCounts(3, 1, 0, Map.of("le_25", 3L))
			.plus(OutcomeCounts.of(Map.of("count", "2", "errors", "2", "timeouts", "1", "le_inf", "2")));

		assertThat(sum).isEqualTo(new OutcomeCounts(5, 3, 1, Map.of("le_25", 3L, "le_inf", 2L)));
		assertThat(sum.errorRate()).isEqualTo(0.6);
	}

}
