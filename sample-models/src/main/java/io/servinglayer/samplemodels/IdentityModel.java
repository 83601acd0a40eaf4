package io.servinglayer.samplemodels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ai.onnx.proto.OnnxMl;

/**
 * A one-node ONNX graph that returns its input: input {@code x} and output {@code y} of
 * one element type and shape {@code [batch, width]}. Tribuo models only take FP32, so
 * these exercise the other element types end to end.
 */
public final class IdentityModel {

	private IdentityModel() {
	}

	/**
	 * Writes the model.
	 * @param elementType an {@code OnnxMl.TensorProto.DataType}, such as
	 * {@code INT64_VALUE}
	 * @param width the fixed second dimension, or 0 for a symbolic one
	 */
	public static Path write(Path target, int elementType, int width) {
		OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
			.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
		shape.addDim((width > 0) ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width)
				: OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("width"));
		OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder()
			.setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elementType).setShape(shape))
			.build();
		OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
			.setName("identity")
			.addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(type))
			.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y").setType(type))
			.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").addInput("x").addOutput("y").setName("id"))
			.build();
		return writeModel(target, graph);
	}

	/**
	 * A model that loads but fails when run: it reshapes its FP32 {@code [batch, 3]}
	 * input to 5 elements, which no input can satisfy. Serving must never mark it ready.
	 */
	public static Path writeFailingAtRun(Path target) {
		OnnxMl.TensorShapeProto inputShape = OnnxMl.TensorShapeProto.newBuilder()
			.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
			.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(3))
			.build();
		OnnxMl.TypeProto input = OnnxMl.TypeProto.newBuilder()
			.setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
				.setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
				.setShape(inputShape))
			.build();
		OnnxMl.TypeProto output = OnnxMl.TypeProto.newBuilder()
			.setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE))
			.build();
		OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
			.setName("failing")
			.addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(input))
			.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y").setType(output))
			.addInitializer(OnnxMl.TensorProto.newBuilder()
				.setName("five")
				.setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE)
				.addDims(1)
				.addInt64Data(5))
			.addNode(OnnxMl.NodeProto.newBuilder()
				.setOpType("Reshape")
				.addInput("x")
				.addInput("five")
				.addOutput("y")
				.setName("reshape"))
			.build();
		return writeModel(target, graph);
	}

	/**
	 * A model that serves some requests and fails others, for a canary that must be
	 * rolled back: FP32 input {@code input} [batch, 3] (the demo fraud model's), each
	 * value truncated to an index into three constants ({@code Gather}), so a row whose
	 * values all lie in (-4, 3) is answered (zeros included: it warms up) and one with a
	 * value of 3 or more makes ONNX Runtime fail.
	 */
	public static Path writeFailingOnLargeValues(Path target) {
		OnnxMl.TensorShapeProto inputShape = OnnxMl.TensorShapeProto.newBuilder()
			.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
			.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(3))
			.build();
		OnnxMl.TypeProto rows = OnnxMl.TypeProto.newBuilder()
			.setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
				.setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
				.setShape(inputShape))
			.build();
		OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
			.setName("failing-on-large-values")
			.addInput(OnnxMl.ValueInfoProto.newBuilder().setName("input").setType(rows))
			.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("output").setType(rows))
			.addInitializer(OnnxMl.TensorProto.newBuilder()
				.setName("table")
				.setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
				.addDims(3)
				.addFloatData(0.1f)
				.addFloatData(0.2f)
				.addFloatData(0.3f))
			.addNode(OnnxMl.NodeProto.newBuilder()
				.setOpType("Cast")
				.addInput("input")
				.addOutput("indices")
				.setName("cast")
				.addAttribute(OnnxMl.AttributeProto.newBuilder()
					.setName("to")
					.setType(OnnxMl.AttributeProto.AttributeType.INT)
					.setI(OnnxMl.TensorProto.DataType.INT64_VALUE)))
			.addNode(OnnxMl.NodeProto.newBuilder()
				.setOpType("Gather")
				.addInput("table")
				.addInput("indices")
				.addOutput("output")
				.setName("gather"))
			.build();
		return writeModel(target, graph);
	}

	/** Writes a graph as an opset-13 ONNX model file. */
	static Path writeModel(Path target, OnnxMl.GraphProto graph) {
		OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder()
			.setIrVersion(8)
			.setProducerName("io.servinglayer.samplemodels")
			.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
			.setGraph(graph)
			.build();
		try {
			Path parent = target.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			return Files.write(target, model.toByteArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not write the ONNX model to " + target, ex);
		}
	}

}
