package io.servinglayer.controlplane.registry;

import java.util.List;
import java.util.Map;

/**
 * The {@code baseline} of a version upload's metadata: how each input feature was
 * distributed in the training data, as a histogram, so instances can measure how far what
 * they serve has drifted from it.
 *
 * <p>
 * Example: {@code {"features": {"amount": {"edges": [-1, 0, 1], "proportions": [0.16,
 * 0.34, 0.34, 0.16]}}}}
 *
 * @param features the histogram of each feature, by key: a feature name of the version's
 * feature binding when it has one, else {@code input[column]} for a column of a
 * {@code [batch, columns]} input, or the input's name for a {@code [batch]} input
 */
record Baseline(Map<String, Histogram> features) {

	/**
	 * One feature's histogram. {@code n} edges make {@code n + 1} bins:
	 * {@code (-inf, edges[0])}, {@code [edges[0], edges[1])} …
	 * {@code [edges[n-1], +inf)}, so every value falls in a bin, values outside the
	 * training range included.
	 *
	 * @param edges the bin edges, finite and strictly increasing
	 * @param proportions the share of training values in each bin, at least 0, summing to
	 * 1
	 */
	record Histogram(List<Double> edges, List<Double> proportions) {
	}

}
