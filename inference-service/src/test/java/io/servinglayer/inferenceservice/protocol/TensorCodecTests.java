package io.servinglayer.inferenceservice.protocol;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.servinglayer.inferenceservice.runtime.DataType;
import io.servinglayer.inferenceservice.runtime.Tensor;
import io.servinglayer.inferenceservice.runtime.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TensorCodecTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final List<TensorSpec> SIGNATURE = List.of(
			new TensorSpec("input", DataType.FP32, new long[] { -1, 3 }),
			new TensorSpec("mask", DataType.BOOL, new long[] { -1 }));

	@Test
	void decodesFlatAndNestedDataInTheModelsInputOrder() {
		Map<String, Tensor> tensors = TensorCodec.decode(inputs("""
				[{"name": "mask", "shape": [2], "datatype": "BOOL", "data": [true, false]},
				 {"name": "input", "shape": [2, 3], "datatype": "FP32", "data": [[0.5, 1, -0.3], [0, 0, 2]]}]"""),
				SIGNATURE);

		assertThat(tensors.keySet()).containsExactly("input", "mask");
		assertThat((float[]) tensors.get("input").data()).containsExactly(0.5f, 1f, -0.3f, 0f, 0f, 2f);
		assertThat(tensors.get("input").shape()).containsExactly(2, 3);
		assertThat((boolean[]) tensors.get("mask").data()).containsExactly(true, false);
	}

	@Test
	void decodesInputsOfManyElementsAsTheyStreamBy() {
		StringBuilder data = new StringBuilder();
		for (int i = 0; i < 1536; i++) {
			data.append((i > 0) ? ", " : "").append((i % 2 == 0) ? i + ".5" : Integer.toString(i));
		}
		Map<String, Tensor> tensors = TensorCodec.decode(
				inputs("[{\"name\": \"input\", \"shape\": [512, 3], " + "\"datatype\": \"FP32\", \"data\": [" + data
						+ "]}, " + "{\"name\": \"mask\", \"shape\": [1], \"datatype\": \"BOOL\", \"data\": [true]}]"),
				SIGNATURE);

		float[] values = (float[]) tensors.get("input").data();
		assertThat(values).hasSize(1536);
		assertThat(values[0]).isEqualTo(0.5f);
		assertThat(values[1535]).isEqualTo(1535f);
		assertThat(values[1000]).isEqualTo(1000.5f);
	}

	static Stream<Arguments> invalidInputs() {
		String mask = "{\"name\": \"mask\", \"shape\": [1], \"datatype\": \"BOOL\", \"data\": [true]}";
		return Stream.of(
				Arguments.of("an unknown input name",
						"[{\"name\": \"inputs\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}, "
								+ mask + "]",
						"inputs[0].name", "has no input 'inputs'"),
				Arguments.of("a missing input",
						"[{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]",
						"inputs", "'mask'"),
				Arguments.of("the wrong datatype",
						"[{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP64\", \"data\": [1, 2, 3]}, "
								+ mask + "]",
						"inputs[0].datatype", "is FP32, got FP64"),
				Arguments.of("the wrong rank",
						"[{\"name\": \"input\", \"shape\": [3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}, " + mask
								+ "]",
						"inputs[0].shape", "2 dimensions"),
				Arguments.of("a fixed dimension that differs",
						"[{\"name\": \"input\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}, "
								+ mask + "]",
						"inputs[0].shape", "expects shape [-1, 3]"),
				Arguments.of("an element count that does not fit the shape",
						"[{\"name\": \"input\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}, "
								+ mask + "]",
						"inputs[0].data", "needs 6 elements, got 3"),
				Arguments.of("a string where numbers go",
						"[{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, \"2\", 3]}, "
								+ mask + "]",
						"inputs[0].data[1]", "FP32 elements are numbers"),
				Arguments.of("a number where booleans go",
						"[{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}, "
								+ "{\"name\": \"mask\", \"shape\": [1], \"datatype\": \"BOOL\", \"data\": [1]}]",
						"inputs[1].data[0]", "true or false"),
				Arguments.of("an input given twice", "[" + mask + ", " + mask
						+ ", {\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]",
						"inputs[1].name", "given twice"),
				Arguments.of("no data",
						"[{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\"}, " + mask + "]",
						"inputs[0].data", "is required"),
				Arguments.of("no inputs at all", "[]", "inputs", "must list"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidInputs")
	void refusesAnInputThatDoesNotFitTheSignatureNamingTheField(String description, String inputs, String field,
			String expected) {
		assertThatExceptionOfType(InvalidInferenceRequestException.class)
			.isThrownBy(() -> TensorCodec.decode(inputs(inputs), SIGNATURE))
			.satisfies((ex) -> assertThat(ex.field()).isEqualTo(field))
			.withMessageContaining(expected);
	}

	@Test
	void refusesWholeNumbersThatDoNotFitTheirType() {
		List<TensorSpec> signature = List.of(new TensorSpec("n", DataType.INT32, new long[] { 1 }));
		assertThatExceptionOfType(InvalidInferenceRequestException.class).isThrownBy(() -> TensorCodec.decode(
				inputs("[{\"name\": \"n\", \"shape\": [1], \"datatype\": \"INT32\", \"data\": [3000000000]}]"),
				signature))
			.withMessageContaining("INT32");
		assertThatExceptionOfType(InvalidInferenceRequestException.class)
			.isThrownBy(() -> TensorCodec.decode(
					inputs("[{\"name\": \"n\", \"shape\": [1], \"datatype\": \"INT32\", \"data\": [1.5]}]"), signature))
			.withMessageContaining("whole numbers");
	}

	private static List<InferenceRequest.Input> inputs(String array) {
		return json.readValue("{\"inputs\": " + array + "}", InferenceRequest.class).inputs();
	}

}
