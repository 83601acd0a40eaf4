package io.servinglayer.inferenceservice.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.servinglayer.inferenceservice.runtime.DataType;

/**
 * The protocol's binary tensor data extension, as Triton and KServe clients send it: the
 * body starts with the JSON request, {@value #HEADER} bytes long, and the raw data of
 * each input that declares {@code parameters.binary_data_size} follows in the inputs'
 * order. Elements are little-endian in row-major order, BOOL one byte each, BYTES each a
 * 4-byte little-endian length and the bytes. Outputs are answered the same way when asked
 * for ({@code parameters.binary_data_output} on the request,
 * {@code parameters.binary_data} on an output). For wide inputs this takes JSON number
 * parsing out of the request.
 */
public final class BinaryTensorData {

	/** The header naming the length of the JSON part of a body. */
	public static final String HEADER = "Inference-Header-Content-Length";

	/** The parameter naming how many bytes of binary data a tensor has. */
	public static final String SIZE = "binary_data_size";

	private BinaryTensorData() {
	}

	/**
	 * The binary data of each input that declares it, by the input's index, cut from
	 * {@code body} after the JSON part.
	 */
	public static Map<Integer, ByteBuffer> split(List<InferenceRequest.Input> inputs, byte[] body, int jsonLength) {
		Map<Integer, ByteBuffer> parts = new HashMap<>();
		int offset = jsonLength;
		for (int i = 0; (inputs != null) && i < inputs.size(); i++) {
			InferenceRequest.Input input = inputs.get(i);
			Object declared = (input != null && input.parameters() != null) ? input.parameters().get(SIZE) : null;
			if (declared == null) {
				continue;
			}
			String field = "inputs[" + i + "].parameters." + SIZE;
			if (!(declared instanceof Number size) || size.longValue() < 0 || size.longValue() != size.doubleValue()) {
				throw new InvalidInferenceRequestException(field, "must be a whole number of bytes, got " + declared);
			}
			if (size.longValue() > body.length - offset) {
				throw new InvalidInferenceRequestException(field, "declares " + size.longValue() + " bytes, but only "
						+ (body.length - offset) + " bytes follow the JSON part unclaimed");
			}
			parts.put(i, ByteBuffer.wrap(body, offset, size.intValue()).slice().order(ByteOrder.LITTLE_ENDIAN));
			offset += size.intValue();
		}
		if (offset != body.length) {
			throw new InvalidInferenceRequestException("inputs",
					(body.length - offset) + " bytes after the JSON part belong to no input's " + SIZE);
		}
		return parts;
	}

	/**
	 * The elements of one input from its raw bytes, checked against the element count.
	 */
	static Object values(DataType datatype, ByteBuffer raw, long count, String field) {
		int width = switch (datatype) {
			case FP32, INT32 -> 4;
			case FP64, INT64 -> 8;
			case BOOL -> 1;
			case BYTES -> 0;
		};
		if (width > 0 && raw.remaining() != count * width) {
			throw new InvalidInferenceRequestException(field,
					count + " " + datatype + " elements take " + count * width + " bytes, got " + raw.remaining());
		}
		if (width == 0 && raw.remaining() < count * 4) {
			// Checked before the elements are made room for: a huge shape with little
			// data
			// costs nothing.
			throw new InvalidInferenceRequestException(field, count + " BYTES elements take at least " + count * 4
					+ " bytes (a 4-byte length each), got " + raw.remaining());
		}
		int n = (int) count;
		switch (datatype) {
			case FP32 -> {
				float[] values = new float[n];
				raw.asFloatBuffer().get(values);
				return values;
			}
			case FP64 -> {
				double[] values = new double[n];
				raw.asDoubleBuffer().get(values);
				return values;
			}
			case INT32 -> {
				int[] values = new int[n];
				raw.asIntBuffer().get(values);
				return values;
			}
			case INT64 -> {
				long[] values = new long[n];
				raw.asLongBuffer().get(values);
				return values;
			}
			case BOOL -> {
				boolean[] values = new boolean[n];
				for (int i = 0; i < n; i++) {
					values[i] = raw.get(i) != 0;
				}
				return values;
			}
			default -> {
				String[] values = new String[n];
				ByteBuffer rest = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
				for (int i = 0; i < n; i++) {
					if (rest.remaining() < 4) {
						throw new InvalidInferenceRequestException(field, "BYTES element " + i + " has no length");
					}
					int length = rest.getInt();
					if (length < 0 || length > rest.remaining()) {
						throw new InvalidInferenceRequestException(field,
								"BYTES element " + i + " declares " + length + " bytes, " + rest.remaining() + " left");
					}
					byte[] text = new byte[length];
					rest.get(text);
					values[i] = new String(text, StandardCharsets.UTF_8);
				}
				if (rest.hasRemaining()) {
					throw new InvalidInferenceRequestException(field,
							rest.remaining() + " bytes left after " + n + " BYTES elements");
				}
				return values;
			}
		}
	}

	/** Whether the caller asked for this output's data in binary. */
	public static boolean wanted(InferenceRequest request, String output) {
		boolean all = request.parameters() != null
				&& Boolean.TRUE.equals(request.parameters().get("binary_data_output"));
		if (request.outputs() != null) {
			for (InferenceRequest.RequestedOutput requested : request.outputs()) {
				if (requested != null && output.equals(requested.name()) && requested.parameters() != null
						&& requested.parameters().get("binary_data") instanceof Boolean binary) {
					return binary;
				}
			}
		}
		return all;
	}

	/** An output's data as raw little-endian bytes. */
	public static byte[] bytes(DataType datatype, Object data) {
		switch (datatype) {
			case FP32 -> {
				float[] values = (float[]) data;
				ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
				buffer.asFloatBuffer().put(values);
				return buffer.array();
			}
			case FP64 -> {
				double[] values = (double[]) data;
				ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
				buffer.asDoubleBuffer().put(values);
				return buffer.array();
			}
			case INT32 -> {
				int[] values = (int[]) data;
				ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
				buffer.asIntBuffer().put(values);
				return buffer.array();
			}
			case INT64 -> {
				long[] values = (long[]) data;
				ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
				buffer.asLongBuffer().put(values);
				return buffer.array();
			}
			case BOOL -> {
				boolean[] values = (boolean[]) data;
				byte[] bytes = new byte[values.length];
				for (int i = 0; i < values.length; i++) {
					bytes[i] = (byte) (values[i] ? 1 : 0);
				}
				return bytes;
			}
			default -> {
				String[] values = (String[]) data;
				byte[][] encoded = new byte[values.length][];
				int total = 0;
				for (int i = 0; i < values.length; i++) {
					encoded[i] = values[i].getBytes(StandardCharsets.UTF_8);
					total += 4 + encoded[i].length;
				}
				ByteBuffer buffer = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
				for (byte[] text : encoded) {
					buffer.putInt(text.length).put(text);
				}
				return buffer.array();
			}
		}
	}

}
