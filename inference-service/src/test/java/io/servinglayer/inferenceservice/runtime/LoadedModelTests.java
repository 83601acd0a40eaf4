package io.servinglayer.inferenceservice.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.onnx.proto.OnnxMl;
import io.servinglayer.samplemodels.IdentityModel;
import io.servinglayer.samplemodels.SyntheticClassifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

class LoadedModelTests {

	@TempDir
	Path dir;

	@Test
	void opensWarmsUpAndRunsATribuoClassifier() {
		Path file = SyntheticClassifier.fraud().writeOnnx(this.dir.resolve("fraud.onnx"));
		try (LoadedModel model = LoadedModel.open(file, RuntimeSettings.defaults())) {
			assertThat(model.inputs()).containsExactly(new TensorSpec("input", DataType.FP32, new long[] { -1, 3 }));
			assertThat(model.outputs()).extracting(TensorSpec::name).containsExactly("output");
			model.warmUp();

			Map<String, Tensor> outputs = model.run(
					Map.of("input",
							new Tensor(DataType.FP32, new long[] { 2, 3 }, new float[] { 0.5f, 1, -0.3f, 0, 0, 0 })),
					List.of());

			Tensor probabilities = outputs.get("output");
			assertThat(probabilities.shape()).containsExactly(2, 2);
			float[] values = (float[]) probabilities.data();
			assertThat(values[0] + values[1]).isCloseTo(1f, within(1e-5f));
			assertThat(values[2] + values[3]).isCloseTo(1f, within(1e-5f));
		}
	}

	@Test
	void roundTripsEveryServedElementTypeThroughOnnxRuntime() {
		Object[][] cases = {
				{ OnnxMl.TensorProto.DataType.FLOAT_VALUE,
						new Tensor(DataType.FP32, new long[] { 1, 2 }, new float[] { 1.5f, -2 }) },
				{ OnnxMl.TensorProto.DataType.DOUBLE_VALUE,
						new Tensor(DataType.FP64, new long[] { 1, 2 }, new double[] { 1e-300, 2 }) },
				{ OnnxMl.TensorProto.DataType.INT32_VALUE,
						new Tensor(DataType.INT32, new long[] { 1, 2 }, new int[] { -7, 7 }) },
				{ OnnxMl.TensorProto.DataType.INT64_VALUE,
						new Tensor(DataType.INT64, new long[] { 1, 2 }, new long[] { Long.MAX_VALUE, 1 }) },
				{ OnnxMl.TensorProto.DataType.BOOL_VALUE,
						new Tensor(DataType.BOOL, new long[] { 1, 2 }, new boolean[] { true, false }) },
				{ OnnxMl.TensorProto.DataType.STRING_VALUE,
						new Tensor(DataType.BYTES, new long[] { 1, 2 }, new String[] { "a", "ü" }) } };
		for (Object[] example : cases) {
			Tensor input = (Tensor) example[1];
			Path file = IdentityModel.write(this.dir.resolve(input.datatype() + ".onnx"), (int) example[0], 2);
			try (LoadedModel model = LoadedModel.open(file, RuntimeSettings.defaults())) {
				model.warmUp();
				assertThat(model.run(Map.of("x", input), List.of("y")).get("y")).as(input.datatype().name())
					.isEqualTo(input);
			}
		}
	}

	@Test
	void aFileThatIsNotAModelFailsToOpenWithOnnxRuntimesReason() throws Exception {
		Path file = Files.writeString(this.dir.resolve("broken.onnx"), "not a model");
		assertThatExceptionOfType(ModelLoadException.class)
			.isThrownBy(() -> LoadedModel.open(file, RuntimeSettings.defaults()))
			.withMessageContaining("ONNX Runtime could not open the model");
	}

	@Test
	void aModelThatLoadsButCannotRunFailsItsWarmUp() {
		Path file = IdentityModel.writeFailingAtRun(this.dir.resolve("failing.onnx"));
		try (LoadedModel model = LoadedModel.open(file, RuntimeSettings.defaults())) {
			assertThatExceptionOfType(ModelLoadException.class).isThrownBy(model::warmUp)
				.withMessageContaining("warm-up failed");
		}
	}

}
