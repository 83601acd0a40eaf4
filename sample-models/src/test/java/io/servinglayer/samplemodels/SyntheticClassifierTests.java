package io.servinglayer.samplemodels;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class SyntheticClassifierTests {

	@TempDir
	Path dir;

	@Test
	void exportsAModelThatOnnxRuntimeRunsWithOneProbabilityPerClass() throws Exception {
		Path file = SyntheticClassifier.fraud().writeOnnx(this.dir.resolve("fraud.onnx"));

		OrtEnvironment env = OrtEnvironment.getEnvironment();
		try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
			Map<String, NodeInfo> inputs = session.getInputInfo();
			assertThat(inputs).containsOnlyKeys("input");
			TensorInfo input = (TensorInfo) inputs.get("input").getInfo();
			assertThat(input.getShape()).containsExactly(-1, 3);
			try (OnnxTensor tensor = OnnxTensor.createTensor(env,
					new float[][] { { 0.5f, 1.0f, -0.3f }, { 0f, 0f, 0f } });
					OrtSession.Result result = session.run(Map.of("input", tensor))) {
				float[][] probabilities = (float[][]) result.get(0).getValue();
				assertThat(probabilities).hasDimensions(2, 2);
				for (float[] row : probabilities) {
					assertThat(row[0] + row[1]).isCloseTo(1.0f, within(1e-5f));
				}
			}
		}
	}

	@Test
	void sameFeaturesAndSeedGiveTheSameGraph() throws Exception {
		// The files differ only in the provenance metadata, which records when the model
		// was trained.
		Path first = SyntheticClassifier.withFeatures(List.of("b", "a"), 7).writeOnnx(this.dir.resolve("1.onnx"));
		Path second = SyntheticClassifier.withFeatures(List.of("b", "a"), 7).writeOnnx(this.dir.resolve("2.onnx"));
		assertThat(graphOf(first).equals(graphOf(second))).isTrue();
		Path other = SyntheticClassifier.withFeatures(List.of("b", "a"), 8).writeOnnx(this.dir.resolve("3.onnx"));
		assertThat(graphOf(first).equals(graphOf(other))).isFalse();
	}

	@Test
	void computesATrainingBaselineOfEqualShareBinsPerFeatureFromTheTrainingData() {
		Map<String, SyntheticClassifier.Histogram> baseline = SyntheticClassifier.fraud().trainingBaseline(10);

		assertThat(baseline).containsOnlyKeys(SyntheticClassifier.FRAUD_FEATURES);
		assertThat(List.copyOf(baseline.keySet())).isEqualTo(SyntheticClassifier.fraud().columns());
		for (SyntheticClassifier.Histogram histogram : baseline.values()) {
			assertThat(histogram.edges()).hasSize(9).isSorted();
			assertThat(histogram.proportions()).hasSize(10).containsOnly(0.1);
			// The features are standard normal: the median edge is near 0, the outer ones
			// near the deciles' ±1.28.
			assertThat(histogram.edges()[4]).isCloseTo(0, within(0.25));
			assertThat(histogram.edges()[0]).isCloseTo(-1.28, within(0.3));
			assertThat(histogram.edges()[8]).isCloseTo(1.28, within(0.3));
		}
		assertThat(SyntheticClassifier.fraud().trainingBaseline(10).get("amount").edges())
			.isEqualTo(baseline.get("amount").edges());
	}

	@Test
	void writesABaselineAsTheRegistrysMetadataMember() {
		String json = SyntheticClassifier.baselineJson(Map.of("amount",
				new SyntheticClassifier.Histogram(new double[] { -1, 1 }, new double[] { 0.25, 0.5, 0.25 })));

		assertThat(json)
			.isEqualTo("{\"features\": {\"amount\": {\"edges\": [-1.0, 1.0], \"proportions\": [0.25, 0.5, 0.25]}}}");
	}

	private static OnnxMl.GraphProto graphOf(Path file) throws Exception {
		return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file)).getGraph();
	}

	@Test
	void reportsColumnsInTribuosLexicographicOrder() {
		assertThat(SyntheticClassifier.withFeatures(List.of("zeta", "alpha", "mid"), 1).columns())
			.containsExactly("alpha", "mid", "zeta");
	}

	@Test
	void refusesDuplicateFeatureNames() {
		assertThatIllegalArgumentException().isThrownBy(() -> SyntheticClassifier.withFeatures(List.of("a", "a"), 1))
			.withMessageContaining("[a, a]");
	}

}
