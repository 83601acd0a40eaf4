package io.servinglayer.inferenceservice.predict;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer to {@code :predict}: one prediction per instance, each output by name, and,
 * for models bound to a feature view, how each instance's online row was used.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PredictResponse(@JsonProperty("model_name") String modelName,
		@JsonProperty("model_version") String modelVersion, List<Map<String, Object>> predictions,
		List<RowUse> features) {

	/**
	 * How one instance's online row was used.
	 *
	 * @param entity the entity id looked up
	 * @param status {@code fresh}, {@code stale} (older than the view's max age, served
	 * as the view allows) or {@code defaults} (the features' defaults were used)
	 * @param reason why defaults were used: {@code missing}, {@code stale} or
	 * {@code unavailable}
	 * @param ageSeconds how old the row was, when there was one
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record RowUse(String entity, String status, String reason, Double ageSeconds) {
	}

}
