package io.servinglayer.inferenceservice.drift;

/**
 * The population stability index of what was served against a training baseline:
 * {@code PSI = Σ (actual_i - expected_i) × ln(actual_i / expected_i)} over the bins, both
 * as shares. A bin empty on either side would make the logarithm infinite, so each share
 * is at least {@link #EPSILON}, the usual floor.
 *
 * <p>
 * Read it as: below 0.1 stable, 0.1 to 0.25 a moderate shift, above 0.25 a significant
 * one ({@link #SIGNIFICANT}, the threshold the default alert uses).
 */
public final class PopulationStability {

	/** The smallest share a bin counts with, so an empty bin adds a large finite term. */
	public static final double EPSILON = 1e-4;

	/** From here on a feature's distribution has shifted significantly. */
	public static final double SIGNIFICANT = 0.25;

	private PopulationStability() {
	}

	/**
	 * @param expected the baseline's share of each bin, summing to 1
	 * @param counts how many served values fell in each bin, as many bins as
	 * {@code expected}
	 * @return the index, at least 0; {@code NaN} when nothing was counted
	 * @throws IllegalArgumentException when the two have different numbers of bins
	 */
	public static double index(double[] expected, long[] counts) {
		if (expected.length != counts.length) {
			throw new IllegalArgumentException(
					"the baseline has " + expected.length + " bins but " + counts.length + " were counted");
		}
		long total = 0;
		for (long count : counts) {
			total += count;
		}
		if (total == 0) {
			return Double.NaN;
		}
		double psi = 0;
		for (int i = 0; i < counts.length; i++) {
			double actual = Math.max((double) counts[i] / total, EPSILON);
			double baseline = Math.max(expected[i], EPSILON);
			psi += (actual - baseline) * Math.log(actual / baseline);
		}
		return psi;
	}

}
