package io.servinglayer.inferenceservice.drift;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class PopulationStabilityTests {

	static Stream<Arguments> knownDistributions() {
		return Stream.of(
				// Served exactly as trained: nothing moved.
				Arguments.of("the baseline itself", new double[] { 0.1, 0.2, 0.3, 0.4 }, new long[] { 10, 20, 30, 40 },
						0.0),
				// 0.15 ln 1.6 + 0.05 ln 1.2 - 0.05 ln 0.8 - 0.15 ln 0.4
				Arguments.of("uniform served as a slope", new double[] { 0.25, 0.25, 0.25, 0.25 },
						new long[] { 40, 30, 20, 10 },
						0.15 * Math.log(1.6) + 0.05 * Math.log(1.2) - 0.05 * Math.log(0.8) - 0.15 * Math.log(0.4)),
				// The empty served bin counts as 1e-4: 0.5 ln 2 + (1e-4 - 0.5) ln (1e-4 /
				// 0.5)
				Arguments.of("a bin nothing is served in", new double[] { 0.5, 0.5 }, new long[] { 100, 0 },
						0.5 * Math.log(2) + (1e-4 - 0.5) * Math.log(1e-4 / 0.5)),
				// The bin empty in training counts as 1e-4: (0.1 - 1e-4) ln (0.1 / 1e-4)
				// +
				// 2 × 0.05 ln 0.9
				Arguments.of("values where training had none", new double[] { 0, 0.5, 0.5 }, new long[] { 10, 45, 45 },
						(0.1 - 1e-4) * Math.log(0.1 / 1e-4) + 2 * (-0.05) * Math.log(0.9)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("knownDistributions")
	void computesTheIndexOfKnownDistributions(String description, double[] expected, long[] counts, double psi) {
		assertThat(PopulationStability.index(expected, counts)).isCloseTo(psi, within(1e-12));
	}

	@Test
	void readsTheConventionalBandsOnHandMadeShifts() {
		double[] deciles = { 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1 };

		assertThat(PopulationStability.index(deciles, new long[] { 11, 9, 10, 10, 11, 9, 10, 10, 10, 10 }))
			.isLessThan(0.1);
		assertThat(PopulationStability.index(deciles, new long[] { 0, 0, 0, 5, 5, 10, 20, 20, 20, 20 }))
			.isGreaterThan(PopulationStability.SIGNIFICANT);
	}

	@Test
	void isUndefinedWhenNothingWasServed() {
		assertThat(PopulationStability.index(new double[] { 0.5, 0.5 }, new long[] { 0, 0 })).isNaN();
	}

	@Test
	void refusesCountsOfAnotherNumberOfBins() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PopulationStability.index(new double[] { 0.5, 0.5 }, new long[] { 1, 2, 3 }))
			.withMessage("the baseline has 2 bins but 3 were counted");
	}

}
