package io.servinglayer.inferenceservice.feedback;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.servinglayer.inferenceservice.predict.PredictResponse;
import io.servinglayer.inferenceservice.protocol.InferenceResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class PredictedTests {

	static List<Arguments> answers() {
		return List
			.of(Arguments.of("scores of two classes per row: the top class",
					infer(new long[] { 2, 2 }, new float[] { 0.2f, 0.8f, 0.9f, 0.1f }), Arrays.asList(1, 0)),
					Arguments.of("one value per row: the value", infer(new long[] { 3, 1 }, new long[] { 4, 0, 7 }),
							Arrays.asList(4L, 0L, 7L)),
					Arguments.of(
							"a flat output of labels", infer(new long[] { 2 },
									new boolean[] { true, false }),
							Arrays.asList(true, false)),
					Arguments.of("strings", infer(new long[] { 1 }, new String[] { "fraud" }), List.of("fraud")),
					Arguments.of("a non-finite value: nothing to compare",
							infer(new long[] { 1, 1 }, new double[] { Double.NaN }), null),
					Arguments.of("no outputs", new InferenceResponse("m", "1", null, List.of()), null),
					Arguments.of("predict rows of scores and of values",
							new PredictResponse("m", "1",
									List.of(Map.of("scores", List.of(0.1, 0.7, 0.2)),
											Map.of("scores", List.of(0.6, 0.3, 0.1))),
									null),
							Arrays.asList(1, 0)),
					Arguments.of("predict rows of one value",
							new PredictResponse("m", "1", List.of(Map.of("score", 0.42f)), null), List.of(0.42f)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("answers")
	void whatAnAnswerPredictedRowByRow(String name, Object answer, List<Object> expected) {
		assertThat(Predicted.of(answer)).isEqualTo(expected);
	}

	private static InferenceResponse infer(long[] shape, Object data) {
		return new InferenceResponse("m", "1", null,
				List.of(new InferenceResponse.Output("output", "FP32", shape, data, null)));
	}

}
