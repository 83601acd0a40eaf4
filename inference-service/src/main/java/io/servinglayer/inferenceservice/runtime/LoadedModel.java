package io.servinglayer.inferenceservice.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/**
 * One model version opened in ONNX Runtime. {@link #open} reads its inputs and outputs
 * from the session itself and {@link #warmUp()} runs it once on synthetic inputs built
 * from them, so a model that loads but cannot run fails here, before it is marked ready,
 * and the first real request does not pay for lazy initialisation.
 *
 * <p>
 * The session is safe for concurrent {@link #run} calls, as ONNX Runtime documents.
 */
public final class LoadedModel implements AutoCloseable {

	private static final OrtEnvironment environment = OrtEnvironment.getEnvironment();

	private final OrtSession session;

	private final List<TensorSpec> inputs;

	private final List<TensorSpec> outputs;

	private LoadedModel(OrtSession session, List<TensorSpec> inputs, List<TensorSpec> outputs) {
		this.session = session;
		this.inputs = inputs;
		this.outputs = outputs;
	}

	/**
	 * Opens the model file with the given settings.
	 * @throws ModelLoadException if ONNX Runtime refuses it, or an input or output has a
	 * type the service cannot serve
	 */
	public static LoadedModel open(Path file, RuntimeSettings settings) {
		OrtSession session = null;
		try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
			options.setIntraOpNumThreads(settings.intraOpThreads());
			options.setInterOpNumThreads(settings.interOpThreads());
			options.setOptimizationLevel(settings.optimizationLevel());
			options.setCPUArenaAllocator(settings.memoryArena());
			session = environment.createSession(file.toString(), options);
			return new LoadedModel(session, specs(session.getInputInfo()), specs(session.getOutputInfo()));
		}
		catch (OrtException | ModelLoadException ex) {
			closeQuietly(session);
			throw (ex instanceof ModelLoadException load) ? load
					: new ModelLoadException("ONNX Runtime could not open the model: " + ex.getMessage(), ex);
		}
	}

	public List<TensorSpec> inputs() {
		return this.inputs;
	}

	public List<TensorSpec> outputs() {
		return this.outputs;
	}

	/**
	 * Runs the model once on one row of zeros (empty strings for BYTES), with every free
	 * dimension 1.
	 * @throws ModelLoadException if the run fails
	 */
	public void warmUp() {
		Map<String, Tensor> synthetic = new LinkedHashMap<>();
		for (TensorSpec input : this.inputs) {
			long[] shape = Arrays.stream(input.shape()).map((dimension) -> (dimension < 0) ? 1 : dimension).toArray();
			synthetic.put(input.name(), zeros(input.datatype(), shape));
		}
		try {
			run(synthetic, List.of());
		}
		catch (InferenceFailedException ex) {
			throw new ModelLoadException("warm-up failed: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Runs the model.
	 * @param requestedOutputs outputs to return, by name; empty for all
	 * @throws InferenceFailedException if ONNX Runtime fails
	 */
	public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> requestedOutputs) {
		Map<String, OnnxTensor> onnxInputs = new LinkedHashMap<>();
		try {
			for (Map.Entry<String, Tensor> input : inputs.entrySet()) {
				onnxInputs.put(input.getKey(), toOnnx(input.getValue()));
			}
			List<String> wanted = requestedOutputs.isEmpty() ? this.outputs.stream().map(TensorSpec::name).toList()
					: requestedOutputs;
			try (OrtSession.Result result = this.session.run(onnxInputs, new java.util.LinkedHashSet<>(wanted))) {
				Map<String, Tensor> outputs = new LinkedHashMap<>();
				for (Map.Entry<String, OnnxValue> output : result) {
					outputs.put(output.getKey(), fromOnnx((OnnxTensor) output.getValue()));
				}
				return outputs;
			}
		}
		catch (OrtException ex) {
			throw new InferenceFailedException("ONNX Runtime failed: " + ex.getMessage(), ex);
		}
		finally {
			onnxInputs.values().forEach(OnnxTensor::close);
		}
	}

	@Override
	public void close() {
		closeQuietly(this.session);
	}

	private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
		List<TensorSpec> specs = new ArrayList<>();
		for (NodeInfo node : nodes.values()) {
			if (!(node.getInfo() instanceof TensorInfo tensor)) {
				throw new ModelLoadException(
						"'" + node.getName() + "' is not a tensor; only tensor inputs and outputs " + "can be served",
						null);
			}
			DataType datatype = DataType.of(tensor.type);
			if (datatype == null) {
				throw new ModelLoadException("'" + node.getName() + "' has element type " + tensor.type
						+ ", which this service does not serve", null);
			}
			specs.add(new TensorSpec(node.getName(), datatype, tensor.getShape()));
		}
		return List.copyOf(specs);
	}

	private static Tensor zeros(DataType datatype, long[] shape) {
		int count = (int) Tensor.elementCount(shape);
		Object data = switch (datatype) {
			case BOOL -> new boolean[count];
			case INT32 -> new int[count];
			case INT64 -> new long[count];
			case FP32 -> new float[count];
			case FP64 -> new double[count];
			case BYTES -> {
				String[] strings = new String[count];
				Arrays.fill(strings, "");
				yield strings;
			}
		};
		return new Tensor(datatype, shape, data);
	}

	private static OnnxTensor toOnnx(Tensor tensor) throws OrtException {
		long[] shape = tensor.shape();
		return switch (tensor.datatype()) {
			case FP32 -> OnnxTensor.createTensor(environment, FloatBuffer.wrap((float[]) tensor.data()), shape);
			case FP64 -> OnnxTensor.createTensor(environment, DoubleBuffer.wrap((double[]) tensor.data()), shape);
			case INT32 -> OnnxTensor.createTensor(environment, IntBuffer.wrap((int[]) tensor.data()), shape);
			case INT64 -> OnnxTensor.createTensor(environment, LongBuffer.wrap((long[]) tensor.data()), shape);
			case BOOL -> {
				boolean[] values = (boolean[]) tensor.data();
				ByteBuffer bytes = ByteBuffer.allocateDirect(values.length).order(ByteOrder.nativeOrder());
				for (boolean value : values) {
					bytes.put((byte) (value ? 1 : 0));
				}
				bytes.rewind();
				yield OnnxTensor.createTensor(environment, bytes, shape, ai.onnxruntime.OnnxJavaType.BOOL);
			}
			case BYTES -> OnnxTensor.createTensor(environment, (String[]) tensor.data(), shape);
		};
	}

	private static Tensor fromOnnx(OnnxTensor tensor) throws OrtException {
		TensorInfo info = tensor.getInfo();
		DataType datatype = DataType.of(info.type);
		if (datatype == null) {
			throw new OrtException("output of element type " + info.type + " cannot be served");
		}
		long[] shape = info.getShape();
		Object data = switch (datatype) {
			case FP32 -> array(tensor.getFloatBuffer());
			case FP64 -> array(tensor.getDoubleBuffer());
			case INT32 -> array(tensor.getIntBuffer());
			case INT64 -> array(tensor.getLongBuffer());
			case BOOL -> {
				ByteBuffer bytes = tensor.getByteBuffer();
				boolean[] values = new boolean[bytes.remaining()];
				for (int i = 0; i < values.length; i++) {
					values[i] = bytes.get(i) != 0;
				}
				yield values;
			}
			case BYTES -> flattenStrings(tensor.getValue(), (int) Tensor.elementCount(shape));
		};
		return new Tensor(datatype, shape, data);
	}

	private static float[] array(FloatBuffer buffer) {
		float[] values = new float[buffer.remaining()];
		buffer.get(values);
		return values;
	}

	private static double[] array(DoubleBuffer buffer) {
		double[] values = new double[buffer.remaining()];
		buffer.get(values);
		return values;
	}

	private static int[] array(IntBuffer buffer) {
		int[] values = new int[buffer.remaining()];
		buffer.get(values);
		return values;
	}

	private static long[] array(LongBuffer buffer) {
		long[] values = new long[buffer.remaining()];
		buffer.get(values);
		return values;
	}

	private static String[] flattenStrings(Object value, int count) {
		String[] flat = new String[count];
		int[] index = { 0 };
		flatten(value, flat, index);
		return flat;
	}

	private static void flatten(Object value, String[] flat, int[] index) {
		if (value instanceof String string) {
			flat[index[0]++] = string;
		}
		else if (value instanceof Object[] array) {
			for (Object element : array) {
				flatten(element, flat, index);
			}
		}
	}

	private static void closeQuietly(OrtSession session) {
		if (session != null) {
			try {
				session.close();
			}
			catch (OrtException ex) {
				// Closing frees native memory; a failure leaves nothing to act on.
			}
		}
	}

}
