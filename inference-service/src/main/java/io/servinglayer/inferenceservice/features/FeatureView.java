package io.servinglayer.inferenceservice.features;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

	static FeatureView of(JsonNode view) {
		List<String> entityKeys = new ArrayList<>();
		view.path("entityKeys").forEach((key) -> entityKeys.add(key.asString()));
		Map<String, Feature> features = new LinkedHashMap<>();
		for (JsonNode feature : view.path("features")) {
			JsonNode defaultValue = feature.get("defaultValue");
			features.put(feature.path("name").asString(),
					new Feature(feature.path("name").asString(), DataType.parse(feature.path("dtype").asString()),
							(defaultValue == null || defaultValue.isNull()) ? null : defaultValue));
		}
		return new FeatureView(view.path("name").asString(), view.path("version").asInt(), List.copyOf(entityKeys),
				features, Duration.ofSeconds(view.path("maxAgeSeconds").asLong()),
				RowPolicy.parse(view.path("onMissing").asString(""), RowPolicy.REJECT),
				RowPolicy.parse(view.path("onStale").asString(""), RowPolicy.SERVE_STALE));
	}

	/**
	 * The entity id of a row in the online store: the key values, joined by {@code |}
	 * when there are several.
	 */
	public String entity(List<String> keyValues) {
		return String.join("|", keyValues);
	}

}
