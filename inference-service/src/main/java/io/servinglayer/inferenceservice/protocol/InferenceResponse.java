package io.servinglayer.inferenceservice.protocol;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer to an {@code infer} call; {@code model_version} names the version that
 * produced it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceResponse(@JsonProperty("model_name") String modelName,
		@JsonProperty("model_version") String modelVersion, String id, List<Output> outputs) {

	/**
	 * One output tensor, its data flat in row-major order, or in the binary part of the
	 * answer when {@code parameters.binary_data_size} says so.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Output(String name, String datatype, long[] shape, Object data, Map<String, Object> parameters) {
	}

}
