package io.servinglayer.inferenceservice.features;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.servinglayer.inferenceservice.runtime.DataType;
import tools.jackson.databind.JsonNode;

/**
 * How a version's inputs are filled from named features: each input takes the listed
 * columns in order, each column a feature of the bound view (looked up by entity key) or
 * a request feature the caller sends.
 *
 * @param view the bound feature view, or {@code null} when every column comes with the
 * request
 * @param requestFeatures the features the caller sends, with their types
 * @param inputs the columns of each input, by input name
 */
public record FeatureBinding(FeatureView view, Map<String, DataType> requestFeatures,
		Map<String, List<String>> inputs) {

	/**
	 * The binding in a snapshot's version entry, with its view found among the snapshot's
	 * feature views; {@code null} when the version has none.
	 */
	public static FeatureBinding of(JsonNode binding, JsonNode featureViews) {
		if (binding == null || !binding.isObject()) {
			return null;
		}
		FeatureView view = null;
		JsonNode ref = binding.path("featureView");
		if (ref.isObject()) {
			for (JsonNode candidate : featureViews) {
				if (candidate.path("name").asString().equals(ref.path("name").asString())
						&& candidate.path("version").asInt() == ref.path("version").asInt()) {
					view = FeatureView.of(candidate);
				}
			}
			if (view == null) {
				throw new IllegalArgumentException("the routing snapshot lacks feature view "
						+ ref.path("name").asString() + " version " + ref.path("version").asInt());
			}
		}
		Map<String, DataType> requestFeatures = new LinkedHashMap<>();
		for (JsonNode feature : binding.path("requestFeatures")) {
			requestFeatures.put(feature.path("name").asString(), DataType.parse(feature.path("dtype").asString()));
		}
		Map<String, List<String>> inputs = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> input : binding.path("inputs").properties()) {
			List<String> columns = new ArrayList<>();
			input.getValue().forEach((column) -> columns.add(column.asString()));
			inputs.put(input.getKey(), List.copyOf(columns));
		}
		return new FeatureBinding(view, requestFeatures, inputs);
	}

}
