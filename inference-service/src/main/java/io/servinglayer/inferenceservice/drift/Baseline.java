package io.servinglayer.inferenceservice.drift;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * A version's training baseline as the control plane serves it ({@code GET
 * /api/v1/models/{model}/versions/{version}/baseline}): per feature, the input column it
 * fills, the bin edges and the training share of each bin.
 */
public record Baseline(List<Feature> features) {

	/**
	 * @param name the {@code feature} label of the feature's drift gauge
	 * @param column the column of a {@code [batch, columns]} input; 0 for a
	 * {@code [batch]} input
	 * @param edges strictly increasing; {@code n} edges make {@code n + 1} bins
	 * @param proportions one share per bin
	 */
	public record Feature(String name, String input, int column, double[] edges, double[] proportions) {
	}

	/**
	 * Reads the control plane's answer.
	 * @throws IllegalArgumentException when a feature's histogram is malformed (the
	 * control plane refuses such baselines, so this means a foreign or corrupted answer)
	 */
	public static Baseline of(JsonNode document) {
		List<Feature> features = new ArrayList<>();
		for (JsonNode feature : document.path("features")) {
			double[] edges = numbers(feature.path("edges"));
			double[] proportions = numbers(feature.path("proportions"));
			String name = feature.path("name").asString();
			if (edges.length == 0 || proportions.length != edges.length + 1) {
				throw new IllegalArgumentException("the baseline of feature '" + name + "' has " + edges.length
						+ " edges and " + proportions.length + " proportions");
			}
			for (int i = 1; i < edges.length; i++) {
				if (!(edges[i] > edges[i - 1])) {
					throw new IllegalArgumentException(
							"the edges of feature '" + name + "' are not strictly increasing at " + i);
				}
			}
			features.add(new Feature(name, feature.path("input").asString(), feature.path("column").asInt(), edges,
					proportions));
		}
		return new Baseline(List.copyOf(features));
	}

	private static double[] numbers(JsonNode array) {
		double[] values = new double[array.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = array.get(i).asDouble();
		}
		return values;
	}

}
