package io.servinglayer.inferenceservice.protocol;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of an Open Inference Protocol v2 {@code infer} call. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceRequest(String id, Map<String, Object> parameters, List<Input> inputs,
		List<RequestedOutput> outputs) {

	/** One input tensor: {@code data} is row-major, flat or nested. */
	public record Input(String name, List<Long> shape, String datatype, Map<String, Object> parameters,
			TensorData data) {
	}

	/** An output the caller wants; when no output is named, all are returned. */
	public record RequestedOutput(String name, Map<String, Object> parameters) {
	}

}
