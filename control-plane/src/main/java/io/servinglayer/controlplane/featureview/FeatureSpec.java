package io.servinglayer.controlplane.featureview;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.servinglayer.controlplane.signature.DataType;
import tools.jackson.databind.JsonNode;

/**
 * A named, typed feature: a column of a feature view, or a feature the caller sends with
 * the request.
 *
 * @param defaultValue what the inference service fills in when the view's policy says
 * {@code defaults} and the entity's row is missing or stale; a JSON number, boolean or
 * string of the feature's type, absent when the feature has none
 */
public record FeatureSpec(String name, DataType dtype,
		@JsonInclude(JsonInclude.Include.NON_NULL) JsonNode defaultValue) {

	public FeatureSpec(String name, DataType dtype) {
		this(name, dtype, null);
	}

}
