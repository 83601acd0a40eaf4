package io.servinglayer.samplemodels;

import java.nio.file.Path;
import java.util.Random;

import ai.onnx.proto.OnnxMl;

/**
 * A compute-heavy model for benchmarks: a multilayer perceptron with random (seeded)
 * weights, FP32 input {@code input} [batch, inputs], two ReLU hidden layers and FP32
 * output {@code output} [batch, outputs]. With 512 inputs and two hidden layers of 1024
 * it costs about 1.5 million multiply-adds per row.
 */
public final class MlpModel {

	private MlpModel() {
	}

	public static Path write(Path target, int inputs, int hidden, int outputs, long seed) {
		Random random = new Random(seed);
		OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("mlp");
		graph.addInput(valueInfo("input", inputs));
		graph.addOutput(valueInfo("output", outputs));
		layer(graph, random, "input", "h1", inputs, hidden, true, 1);
		layer(graph, random, "h1", "h2", hidden, hidden, true, 2);
		layer(graph, random, "h2", "output", hidden, outputs, false, 3);
		return IdentityModel.writeModel(target, graph.build());
	}

	private static void layer(OnnxMl.GraphProto.Builder graph, Random random, String in, String out, int from, int to,
			boolean relu, int index) {
		float scale = (float) Math.sqrt(2.0 / from);
		OnnxMl.TensorProto.Builder weights = OnnxMl.TensorProto.newBuilder()
			.setName("w" + index)
			.setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
			.addDims(from)
			.addDims(to);
		for (int i = 0; i < from * to; i++) {
			weights.addFloatData((float) random.nextGaussian() * scale);
		}
		OnnxMl.TensorProto.Builder bias = OnnxMl.TensorProto.newBuilder()
			.setName("b" + index)
			.setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
			.addDims(to);
		for (int i = 0; i < to; i++) {
			bias.addFloatData(0.01f);
		}
		graph.addInitializer(weights).addInitializer(bias);
		String gemmOut = relu ? out + "_linear" : out;
		graph.addNode(OnnxMl.NodeProto.newBuilder()
			.setOpType("Gemm")
			.setName("gemm" + index)
			.addInput(in)
			.addInput("w" + index)
			.addInput("b" + index)
			.addOutput(gemmOut));
		if (relu) {
			graph.addNode(OnnxMl.NodeProto.newBuilder()
				.setOpType("Relu")
				.setName("relu" + index)
				.addInput(gemmOut)
				.addOutput(out));
		}
	}

	private static OnnxMl.ValueInfoProto valueInfo(String name, int width) {
		return OnnxMl.ValueInfoProto.newBuilder()
			.setName(name)
			.setType(OnnxMl.TypeProto.newBuilder()
				.setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
					.setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
					.setShape(OnnxMl.TensorShapeProto.newBuilder()
						.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
						.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width)))))
			.build();
	}

}
