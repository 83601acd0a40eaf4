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
				Arguments
					.of("no data", "[{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\"}, " + mask + "]",
							"inputs[0].data", "is required"),
				Arguments.of("no inputs at all", "[]", "inputs", "must list"),
				Arguments.of("a shape whose element count overflows 64 bits",
						"[{\"name\": \"input\", \"shape\": [6148914691236517206, 3], \"datatype\": \"FP32\", "
								+ "\"data\": [1, 2]}, " + mask + "]",
						"inputs[0].shape", "more than 2^63 elements"),
				Arguments.of("a shape of more elements than one input may hold",
						"[{\"name\": \"input\", \"shape\": [6000000, 3], \"datatype\": \"FP32\", \"data\": []}, " + mask
								+ "]",
						"inputs[0].shape", "at most 16777216"),
				Arguments.of("a shape of no elements",
						"[{\"name\": \"input\", \"shape\": [0, 3], \"datatype\": \"FP32\", \"data\": []}, " + mask
								+ "]",
						"inputs[0].shape", "holds no elements"),
				Arguments.of("a negative dimension",
						"[{\"name\": \"input\", \"shape\": [-2, 3], \"datatype\": \"FP32\", \"data\": []}, " + mask
								+ "]",
						"inputs[0].shape", "expects shape [-1, 3]"),
				Arguments.of("ragged rows whose flat count fits the shape",
						"[{\"name\": \"input\", \"shape\": [2, 3], \"datatype\": \"FP32\", "
								+ "\"data\": [[1, 2], [3, 4, 5, 6]]}, " + mask + "]",
						"inputs[0].data", "at every level"),
				Arguments.of("rows nested other than the shape",
						"[{\"name\": \"input\", \"shape\": [2, 3], \"datatype\": \"FP32\", "
								+ "\"data\": [[1, 2], [3, 4], [5, 6]]}, " + mask + "]",
						"inputs[0].data", "nested as [3, 2]"),
				Arguments.of("elements at different depths",
						"[{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", "
								+ "\"data\": [1, [2], 3]}, " + mask + "]",
						"inputs[0].data", "different lengths or depths"),
				Arguments.of("a number past FP32's finite range",
						"[{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 1e39, 3]}, "
								+ mask + "]",
						"inputs[0].data[1]", "outside FP32's finite range"),
				Arguments.of("a whole number past FP32's finite range",
						"[{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, -"
								+ "9".repeat(40) + ", 3]}, " + mask + "]",
						"inputs[0].data[1]", "outside FP32's finite range"));
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

	static Stream<Arguments> elementsOutOfTheirTypesRange() {
		return Stream.of(Arguments.of("FP32 past its largest finite value", "FP32", "3.5e38", "finite range"),
				Arguments.of("FP32 far past its largest finite value", "FP32", "1e39", "finite range"),
				Arguments.of("FP32 past its most negative finite value", "FP32", "-1e39", "finite range"),
				Arguments.of("FP64 past its largest finite value", "FP64", "1e309", "finite range"),
				Arguments.of("INT32 past 2^31 - 1", "INT32", "2147483648", "does not fit in INT32"),
				Arguments.of("INT32 below -2^31", "INT32", "-2147483649", "does not fit in INT32"),
				Arguments.of("INT64 past 2^63 - 1", "INT64", "9223372036854775808", "does not fit in INT64"),
				Arguments.of("INT32 given a fraction", "INT32", "1.5", "whole numbers"),
				Arguments.of("INT32 given a whole number written as a decimal", "INT32", "2.0", "whole numbers"),
				Arguments.of("INT64 given an exponent", "INT64", "1e3", "whole numbers"),
				Arguments.of("BOOL given a number", "BOOL", "1", "true or false"),
				Arguments.of("BYTES given a number", "BYTES", "1", "strings"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("elementsOutOfTheirTypesRange")
	void refusesAnElementOutsideItsTypesRangeNamingTheElement(String description, String datatype, String element,
			String expected) {
		List<TensorSpec> signature = List.of(new TensorSpec("n", DataType.parse(datatype), new long[] { 2 }));
		assertThatExceptionOfType(InvalidInferenceRequestException.class)
			.isThrownBy(() -> TensorCodec.decode(inputs("[{\"name\": \"n\", \"shape\": [2], \"datatype\": \"" + datatype
					+ "\", \"data\": [" + first(datatype) + ", " + element + "]}]"), signature))
			.satisfies((ex) -> assertThat(ex.field()).isEqualTo("inputs[0].data[1]"))
			.withMessageContaining(expected);
	}

	private static String first(String datatype) {
		return switch (datatype) {
			case "BYTES" -> "\"a\"";
			case "BOOL" -> "true";
			default -> "0";
		};
	}

	static Stream<Arguments> elementsAtTheEdgeOfTheirTypesRange() {
		return Stream.of(Arguments.of("FP32's largest finite value", "FP32", "3.4028235e38"),
				Arguments.of("FP32 given a whole number past 64 bits", "FP32", "1" + "0".repeat(20)),
				Arguments.of("FP64's largest finite value", "FP64", "1.7976931348623157e308"),
				Arguments.of("INT32's smallest value", "INT32", "-2147483648"),
				Arguments.of("INT64's largest value", "INT64", "9223372036854775807"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("elementsAtTheEdgeOfTheirTypesRange")
	void acceptsAnElementAtTheEdgeOfItsTypesRange(String description, String datatype, String element) {
		List<TensorSpec> signature = List.of(new TensorSpec("n", DataType.parse(datatype), new long[] { 1 }));
		Tensor tensor = TensorCodec
			.decode(inputs("[{\"name\": \"n\", \"shape\": [1], \"datatype\": \"" + datatype + "\", \"data\": ["
					+ element + "]}]"), signature)
			.get("n");
		assertThat(java.lang.reflect.Array.get(tensor.data(), 0).toString()).isNotIn("Infinity", "-Infinity", "NaN");
	}

	static Stream<Arguments> shapesAndNesting() {
		return Stream.of(Arguments.of("flat data", "[2, 3]", "[1, 2, 3, 4, 5, 6]"),
				Arguments.of("rows nested as the shape", "[2, 3]", "[[1, 2, 3], [4, 5, 6]]"),
				Arguments.of("three levels nested as the shape", "[2, 1, 3]", "[[[1, 2, 3]], [[4, 5, 6]]]"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("shapesAndNesting")
	void acceptsFlatDataAndDataNestedExactlyAsTheShape(String description, String shape, String data) {
		long[] dimensions = json.readValue(shape, long[].class);
		List<TensorSpec> signature = List
			.of(new TensorSpec("x", DataType.FP32, java.util.Arrays.stream(dimensions).map((d) -> -1).toArray()));
		Tensor tensor = TensorCodec
			.decode(inputs(
					"[{\"name\": \"x\", \"shape\": " + shape + ", \"datatype\": \"FP32\", \"data\": " + data + "}]"),
					signature)
			.get("x");
		assertThat(tensor.shape()).containsExactly(dimensions);
	}

	static Stream<Arguments> invalidBinaryData() {
		return Stream.of(
				Arguments.of("a huge BYTES shape with no data", "[16000000]", new byte[0],
						"take at least 64000000 bytes"),
				Arguments.of("a BYTES length past the end", "[1]", new byte[] { 9, 0, 0, 0, 'a' },
						"declares 9 bytes, 1 left"),
				Arguments.of("a negative BYTES length", "[1]", new byte[] { -1, -1, -1, -1 },
						"declares -1 bytes, 0 left"),
				Arguments.of("bytes left after the last BYTES element", "[1]", new byte[] { 1, 0, 0, 0, 'a', 'b' },
						"1 bytes left after 1 BYTES elements"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidBinaryData")
	void refusesBinaryDataThatDoesNotFitTheShapeNamingTheField(String description, String shape, byte[] raw,
			String expected) {
		List<TensorSpec> signature = List.of(new TensorSpec("s", DataType.BYTES, new long[] { -1 }));
		assertThatExceptionOfType(InvalidInferenceRequestException.class)
			.isThrownBy(() -> TensorCodec.decode(inputs("[{\"name\": \"s\", \"shape\": " + shape
					+ ", \"datatype\": \"BYTES\", \"parameters\": {\"binary_data_size\": " + raw.length + "}}]"),
					signature, Map.of(0, java.nio.ByteBuffer.wrap(raw))))
			.satisfies((ex) -> assertThat(ex.field()).isEqualTo("inputs[0].parameters.binary_data_size"))
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
