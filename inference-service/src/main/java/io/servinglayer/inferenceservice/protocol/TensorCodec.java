package io.servinglayer.inferenceservice.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.servinglayer.inferenceservice.runtime.DataType;
import io.servinglayer.inferenceservice.runtime.Tensor;
import io.servinglayer.inferenceservice.runtime.TensorSpec;

/**
 * Turns protocol inputs into engine tensors and engine tensors into protocol outputs.
 * Every input is checked against the model's signature first — name, datatype, rank,
 * fixed dimensions, element count and element kind — and the first problem found is
 * reported with the field it is in and what was expected, so nothing malformed reaches
 * ONNX Runtime.
 */
public final class TensorCodec {

	/** The largest number of elements one input may carry. */
	static final long MAX_ELEMENTS = 16 * 1024 * 1024;

	private TensorCodec() {
	}

	/** The request's inputs as tensors, by name, in the model's input order. */
	public static Map<String, Tensor> decode(List<InferenceRequest.Input> inputs, List<TensorSpec> signature) {
		return decode(inputs, signature, Map.of());
	}

	/**
	 * The request's inputs as tensors, by name, in the model's input order;
	 * {@code binary} holds the raw data of inputs sent with the binary extension, by
	 * input index.
	 */
	public static Map<String, Tensor> decode(List<InferenceRequest.Input> inputs, List<TensorSpec> signature,
			Map<Integer, ByteBuffer> binary) {
		if (inputs == null || inputs.isEmpty()) {
			throw new InvalidInferenceRequestException("inputs",
					"must list the model's inputs: " + signature.stream().map(TensorSpec::toString).toList());
		}
		Map<String, Tensor> decoded = new LinkedHashMap<>();
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < inputs.size(); i++) {
			InferenceRequest.Input input = inputs.get(i);
			String field = "inputs[" + i + "]";
			if (input == null || input.name() == null) {
				throw new InvalidInferenceRequestException(field + ".name", "every input needs a name");
			}
			TensorSpec spec = signature.stream()
				.filter((s) -> s.name().equals(input.name()))
				.findFirst()
				.orElseThrow(() -> new InvalidInferenceRequestException(field + ".name", "the model has no input '"
						+ input.name() + "'; its inputs are " + signature.stream().map(TensorSpec::name).toList()));
			if (!seen.add(input.name())) {
				throw new InvalidInferenceRequestException(field + ".name",
						"input '" + input.name() + "' is given twice");
			}
			decoded.put(spec.name(), decode(input, spec, field, binary.get(i)));
		}
		for (TensorSpec spec : signature) {
			if (!decoded.containsKey(spec.name())) {
				throw new InvalidInferenceRequestException("inputs", "input '" + spec.name() + "' (" + spec.datatype()
						+ " " + Arrays.toString(spec.shape()) + ") is missing");
			}
		}
		Map<String, Tensor> ordered = new LinkedHashMap<>();
		signature.forEach((spec) -> ordered.put(spec.name(), decoded.get(spec.name())));
		return ordered;
	}

	/** A tensor as a protocol output. */
	public static InferenceResponse.Output encode(String name, Tensor tensor) {
		return new InferenceResponse.Output(name, tensor.datatype().name(), tensor.shape(), tensor.data(), null);
	}

	private static Tensor decode(InferenceRequest.Input input, TensorSpec spec, String field, ByteBuffer binary) {
		if (input.datatype() == null || DataType.parse(input.datatype()) != spec.datatype()) {
			throw new InvalidInferenceRequestException(field + ".datatype",
					"input '" + spec.name() + "' is " + spec.datatype() + ", got " + input.datatype());
		}
		if (input.shape() == null) {
			throw new InvalidInferenceRequestException(field + ".shape", "is required, such as " + example(spec));
		}
		long[] shape = input.shape().stream().mapToLong((dimension) -> (dimension != null) ? dimension : -1).toArray();
		if (shape.length != spec.rank()) {
			throw new InvalidInferenceRequestException(field + ".shape", "input '" + spec.name() + "' has "
					+ spec.rank() + " dimensions " + Arrays.toString(spec.shape()) + ", got " + Arrays.toString(shape));
		}
		for (int d = 0; d < shape.length; d++) {
			if (shape[d] < 0 || (spec.shape()[d] >= 0 && spec.shape()[d] != shape[d])) {
				throw new InvalidInferenceRequestException(field + ".shape",
						"input '" + spec.name() + "' expects shape " + Arrays.toString(spec.shape())
								+ " (-1 is any size), got " + Arrays.toString(shape));
			}
		}
		long count = elementCount(shape, spec, field + ".shape");
		TensorData data = input.data();
		if (binary != null) {
			if (data != null) {
				throw new InvalidInferenceRequestException(field + ".data",
						"an input sent in binary (parameters." + BinaryTensorData.SIZE + ") has no data in the JSON");
			}
			return new Tensor(spec.datatype(), shape, BinaryTensorData.values(spec.datatype(), binary, count,
					field + ".parameters." + BinaryTensorData.SIZE));
		}
		if (data == null) {
			throw new InvalidInferenceRequestException(field + ".data", "is required: the elements in row-major order");
		}
		if (data.size() != count) {
			throw new InvalidInferenceRequestException(field + ".data",
					"shape " + Arrays.toString(shape) + " needs " + count + " elements, got " + data.size());
		}
		long[] nesting = data.nesting();
		if (nesting == null || (nesting.length > 1 && !Arrays.equals(nesting, shape))) {
			throw new InvalidInferenceRequestException(field + ".data",
					"nested data must match shape " + Arrays.toString(shape) + " at every level, got "
							+ ((nesting != null) ? "arrays nested as " + Arrays.toString(nesting)
									: "rows of different lengths or depths")
							+ "; send the elements flat in row-major order, or nested exactly as the shape");
		}
		return new Tensor(spec.datatype(), shape, values(spec.datatype(), data, field + ".data"));
	}

	/**
	 * The number of elements a shape holds, counted exactly: a product past
	 * {@link #MAX_ELEMENTS} (or past 64 bits) is refused rather than wrapped around.
	 */
	private static long elementCount(long[] shape, TensorSpec spec, String field) {
		long count = 1;
		try {
			for (long dimension : shape) {
				count = Math.multiplyExact(count, dimension);
			}
		}
		catch (ArithmeticException ex) {
			count = Long.MAX_VALUE;
		}
		if (count > MAX_ELEMENTS) {
			throw new InvalidInferenceRequestException(field,
					"shape " + Arrays.toString(shape) + " of input '" + spec.name() + "' holds "
							+ ((count == Long.MAX_VALUE) ? "more than 2^63" : Long.toString(count))
							+ " elements; at most " + MAX_ELEMENTS + " are accepted in one input");
		}
		if (count == 0) {
			// No rows to run: ONNX Runtime and the batcher's row split have nothing to
			// divide.
			throw new InvalidInferenceRequestException(field, "shape " + Arrays.toString(shape) + " of input '"
					+ spec.name() + "' holds no elements; send at least one");
		}
		return count;
	}

	private static Object values(DataType datatype, TensorData data, String field) {
		int n = data.size();
		switch (datatype) {
			case FP32 -> {
				float[] values = new float[n];
				for (int i = 0; i < n; i++) {
					float value = (float) number(data, i, datatype, field);
					if (Float.isInfinite(value)) {
						throw new InvalidInferenceRequestException(field + "[" + i + "]", data.describe(i)
								+ " is outside FP32's finite range (±" + Float.MAX_VALUE + "); send it as FP64");
					}
					values[i] = value;
				}
				return values;
			}
			case FP64 -> {
				double[] values = new double[n];
				for (int i = 0; i < n; i++) {
					values[i] = number(data, i, datatype, field);
				}
				return values;
			}
			case INT32 -> {
				int[] values = new int[n];
				for (int i = 0; i < n; i++) {
					long value = integral(data, i, datatype, field);
					if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
						throw new InvalidInferenceRequestException(field + "[" + i + "]", "does not fit in INT32");
					}
					values[i] = (int) value;
				}
				return values;
			}
			case INT64 -> {
				long[] values = new long[n];
				for (int i = 0; i < n; i++) {
					values[i] = integral(data, i, datatype, field);
				}
				return values;
			}
			case BOOL -> {
				boolean[] values = new boolean[n];
				for (int i = 0; i < n; i++) {
					byte kind = data.kind(i);
					if (kind != TensorData.TRUE && kind != TensorData.FALSE) {
						throw new InvalidInferenceRequestException(field + "[" + i + "]",
								"BOOL elements are true or false");
					}
					values[i] = kind == TensorData.TRUE;
				}
				return values;
			}
			case BYTES -> {
				String[] values = new String[n];
				for (int i = 0; i < n; i++) {
					if (data.kind(i) != TensorData.STRING) {
						throw new InvalidInferenceRequestException(field + "[" + i + "]", "BYTES elements are strings");
					}
					values[i] = data.text(i);
				}
				return values;
			}
			default -> throw new IllegalStateException("unhandled datatype " + datatype);
		}
	}

	/** A finite number, as a double; a whole number beyond 64 bits is taken too. */
	private static double number(TensorData data, int index, DataType datatype, String field) {
		byte kind = data.kind(index);
		double value;
		if (kind == TensorData.INTEGER || kind == TensorData.DECIMAL) {
			value = data.number(index);
		}
		else if (kind == TensorData.OTHER && data.text(index) != null && data.text(index).matches("-?[0-9]+")) {
			value = Double.parseDouble(data.text(index));
		}
		else {
			throw new InvalidInferenceRequestException(field + "[" + index + "]",
					datatype + " elements are numbers, got " + data.describe(index));
		}
		if (!Double.isFinite(value)) {
			throw new InvalidInferenceRequestException(field + "[" + index + "]",
					data.describe(index) + " is outside " + datatype + "'s finite range (±" + Double.MAX_VALUE + ")");
		}
		return value;
	}

	private static long integral(TensorData data, int index, DataType datatype, String field) {
		byte kind = data.kind(index);
		if (kind == TensorData.OTHER && data.text(index) != null && data.text(index).matches("-?[0-9]+")) {
			throw new InvalidInferenceRequestException(field + "[" + index + "]", "does not fit in " + datatype);
		}
		if (kind != TensorData.INTEGER) {
			throw new InvalidInferenceRequestException(field + "[" + index + "]",
					datatype + " elements are whole numbers, got " + data.describe(index));
		}
		return data.integer(index);
	}

	private static String example(TensorSpec spec) {
		return Arrays
			.toString(Arrays.stream(spec.shape()).map((dimension) -> (dimension < 0) ? 1 : dimension).toArray());
	}

}
