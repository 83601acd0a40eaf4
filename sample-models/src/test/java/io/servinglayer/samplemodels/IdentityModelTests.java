package io.servinglayer.samplemodels;

import java.nio.file.Path;
import java.util.Map;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityModelTests {

	@TempDir
	Path dir;

	@Test
	void returnsItsInputForTheGivenElementType() throws Exception {
		Path file = IdentityModel.write(this.dir.resolve("int64.onnx"), OnnxMl.TensorProto.DataType.INT64_VALUE, 2);
		OrtEnvironment env = OrtEnvironment.getEnvironment();
		try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
				OnnxTensor input = OnnxTensor.createTensor(env, new long[][] { { 1, 2 }, { 3, 4 } });
				OrtSession.Result result = session.run(Map.of("x", input))) {
			assertThat(((TensorInfo) session.getInputInfo().get("x").getInfo()).type).isEqualTo(OnnxJavaType.INT64);
			assertThat((long[][]) result.get(0).getValue()).isEqualTo(new long[][] { { 1, 2 }, { 3, 4 } });
		}
	}

}
