package io.servinglayer.inferenceservice.features;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.servinglayer.contracts.OnlineFeatureRow;
import io.servinglayer.contracts.RoutingSnapshot;
import io.servinglayer.inferenceservice.runtime.DataType;
import tools.jackson.databind.JsonNode;

/**
 * A feature view version as the routing snapshot describes it: the entity keys, the
 * features with their types and defaults, the max age, and the missing and stale row
 * policies.
 */
public record FeatureView(String name, int version, List<String> entityKeys, Map<String, Feature> features,
		Duration maxAge, RowPolicy onMissing, RowPolicy onStale) {

	/**
	 * A feature: {@code dtype} is {@code null} for a type this service cannot serve;
	 * {@code defaultValue} is {@code null} when it has none.
	 */
	public record Feature(String name, DataType dtype, JsonNode defaultValue) {
	}

	static FeatureView of(RoutingSnapshot.FeatureView view) {
		Map<String, Feature> features = new LinkedHashMap<>();
		for (RoutingSnapshot.Feature feature : view.features()) {
			features.put(feature.name(),
					new Feature(feature.name(), DataType.parse(feature.dtype()), feature.defaultValue()));
		}
		return new FeatureView(view.name(), view.version(), view.entityKeys(), features,
				Duration.ofSeconds(view.maxAgeSeconds()), RowPolicy.of(view.onMissing()), RowPolicy.of(view.onStale()));
	}

	/**
	 * The entity id of a row in the online store: the key values, joined by {@code |}
	 * when there are several.
	 */
	public String entity(List<String> keyValues) {
		return OnlineFeatureRow.entity(keyValues);
	}

}
