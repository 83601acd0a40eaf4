package io.servinglayer.controlplane.signature;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;

import org.springframework.stereotype.Component;

/**
 * Opens a model file with ONNX Runtime, the same engine that will serve it, and reads its
 * signature. A file ONNX Runtime cannot load is refused here with ONNX Runtime's own
 * reason, so a broken model never reaches the registry.
 */
@Component
public class OnnxSignatureReader {

	/**
	 * Reads the signature of the model at {@code file}.
	 * @throws InvalidModelException if ONNX Runtime cannot open it, or it has inputs or
	 * outputs that are not tensors
	 */
	public Signature read(Path file) {
		OrtEnvironment environment = OrtEnvironment.getEnvironment();
		try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
			// Only the graph's interface is needed: skip optimisation and keep to one
			// thread.
			options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
			options.setIntraOpNumThreads(1);
			options.setInterOpNumThreads(1);
			try (OrtSession session = environment.createSession(file.toString(), options)) {
				return new Signature(specs(session.getInputInfo(), "input"), specs(session.getOutputInfo(), "output"));
			}
		}
		catch (OrtException ex) {
			// ONNX Runtime names the file it was given; that is our spool path, not the
			// caller's.
			String reason = String.valueOf(ex.getMessage()).replace(file.toString(), "the artifact");
			throw new InvalidModelException("ONNX Runtime could not load the artifact: " + reason);
		}
	}

	private static List<TensorSpec> specs(Map<String, NodeInfo> nodes, String role) {
		List<TensorSpec> specs = new ArrayList<>();
		for (NodeInfo node : nodes.values()) {
			if (!(node.getInfo() instanceof TensorInfo tensor)) {
				throw new InvalidModelException(role + " '" + node.getName() + "' is " + node.getInfo()
						+ "; only models whose inputs and outputs are tensors can be served");
			}
			List<Long> shape = Arrays.stream(tensor.getShape()).boxed().toList();
			String[] names = tensor.getDimensionNames();
			List<String> dimensionNames = new ArrayList<>(shape.size());
			for (int i = 0; i < shape.size(); i++) {
				String name = (names != null && i < names.length) ? names[i] : null;
				dimensionNames.add((name == null || name.isEmpty()) ? null : name);
			}
			specs.add(new TensorSpec(node.getName(), datatype(tensor.onnxType, node.getName(), role), shape,
					dimensionNames));
		}
		return specs;
	}

	private static DataType datatype(OnnxTensorType type, String name, String role) {
		return switch (type) {
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> DataType.BOOL;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> DataType.UINT8;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> DataType.UINT16;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> DataType.UINT32;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> DataType.UINT64;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> DataType.INT8;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> DataType.INT16;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> DataType.INT32;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> DataType.INT64;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> DataType.FP16;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> DataType.BF16;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> DataType.FP32;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> DataType.FP64;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> DataType.BYTES;
			default -> throw new InvalidModelException(role + " '" + name + "' has element type " + type
					+ ", which the Open Inference Protocol cannot carry");
		};
	}

}
