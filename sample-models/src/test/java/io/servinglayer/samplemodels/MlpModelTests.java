package io.servinglayer.samplemodels;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class MlpModelTests {

	@TempDir
	Path dir;

	@Test
	void runsInOnnxRuntimeWithOneRowOfOutputsPerInputRow() throws Exception {
		Path file = MlpModel.write(this.dir.resolve("mlp.onnx"), 16, 32, 2, 1);
		OrtEnvironment env = OrtEnvironment.getEnvironment();
		try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
				OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[3 * 16]),
						new long[] { 3, 16 });
				OrtSession.Result result = session.run(Map.of("input", input))) {
			float[][] output = (float[][]) result.get(0).getValue();
			assertThat(output).hasDimensions(3, 2);
		}
	}

}
