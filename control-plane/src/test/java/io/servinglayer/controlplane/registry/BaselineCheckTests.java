package io.servinglayer.controlplane.registry;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.servinglayer.controlplane.signature.DataType;
import io.servinglayer.controlplane.signature.Signature;
import io.servinglayer.controlplane.signature.TensorSpec;
import io.servinglayer.controlplane.system.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class BaselineCheckTests {

	private static final Signature SIGNATURE = new Signature(
			List.of(new TensorSpec("input", DataType.FP32, List.of(-1L, 3L), Arrays.asList("batch", null)),
					new TensorSpec("score", DataType.FP64, List.of(-1L), List.of("batch")),
					new TensorSpec("text", DataType.BYTES, List.of(-1L, 1L), Arrays.asList("batch", null))),
			List.of(new TensorSpec("output", DataType.FP32, List.of(-1L, 2L), Arrays.asList("batch", null))));

	private static final FeatureBinding BINDING = new FeatureBinding(new FeatureBinding.FeatureViewRef("cards", 1),
			List.of(), Map.of("input", List.of("age", "amount", "count")));

	private static final Baseline.Histogram GOOD = histogram(List.of(-1.0, 0.0, 1.0), List.of(0.2, 0.3, 0.3, 0.2));

	@Test
	void resolvesColumnsAndOneDimensionalInputsOfAnUnboundModel() {
		Map<String, Baseline.Histogram> features = new LinkedHashMap<>();
		features.put("input[2]", GOOD);
		features.put("score", GOOD);

		List<BaselineFeature> resolved = BaselineCheck.resolve(new Baseline(features), SIGNATURE, null);

		assertThat(resolved).containsExactly(
				new BaselineFeature("input[2]", "input", 2, GOOD.edges(), GOOD.proportions()),
				new BaselineFeature("score", "score", 0, GOOD.edges(), GOOD.proportions()));
	}

	@Test
	void resolvesTheFeatureNamesOfABoundModelToTheColumnsTheyFill() {
		List<BaselineFeature> resolved = BaselineCheck.resolve(new Baseline(Map.of("amount", GOOD)), SIGNATURE,
				BINDING);

		assertThat(resolved)
			.containsExactly(new BaselineFeature("amount", "input", 1, GOOD.edges(), GOOD.proportions()));
	}

	static Stream<Arguments> badBaselines() {
		return Stream.of(Arguments.of("no features", Map.of(), null, List.of("metadata.baseline.features")),
				Arguments.of("edges not increasing",
						Map.of("score", histogram(List.of(0.0, 0.0, 1.0), List.of(0.25, 0.25, 0.25, 0.25))), null,
						List.of("metadata.baseline.features.score.edges[1]")),
				Arguments.of("edges decreasing", Map.of("score", histogram(List.of(1.0, 0.0), List.of(0.3, 0.4, 0.3))),
						null, List.of("metadata.baseline.features.score.edges[1]")),
				Arguments.of("no edges", Map.of("score", histogram(List.of(), List.of(1.0))), null,
						List.of("metadata.baseline.features.score.edges")),
				Arguments.of("infinite edge",
						Map.of("score", histogram(List.of(0.0, Double.POSITIVE_INFINITY), List.of(0.3, 0.4, 0.3))),
						null, List.of("metadata.baseline.features.score.edges[1]")),
				Arguments.of("one proportion per edge instead of per bin",
						Map.of("score", histogram(List.of(0.0, 1.0), List.of(0.5, 0.5))), null,
						List.of("metadata.baseline.features.score.proportions")),
				Arguments.of("negative proportion",
						Map.of("score", histogram(List.of(0.0, 1.0), List.of(-0.1, 0.6, 0.5))), null,
						List.of("metadata.baseline.features.score.proportions[0]")),
				Arguments.of("proportions summing to 0.9",
						Map.of("score", histogram(List.of(0.0, 1.0), List.of(0.3, 0.3, 0.3))), null,
						List.of("metadata.baseline.features.score.proportions")),
				Arguments.of("proportions summing to 1 + 1e-5",
						Map.of("score", histogram(List.of(0.0, 1.0), List.of(0.3, 0.3, 0.40001))), null,
						List.of("metadata.baseline.features.score.proportions")),
				Arguments.of("input the model lacks", Map.of("nope[0]", GOOD), null,
						List.of("metadata.baseline.features.nope[0]")),
				Arguments.of("column past the input's width", Map.of("input[3]", GOOD), null,
						List.of("metadata.baseline.features.input[3]")),
				Arguments.of("two-dimensional input without a column", Map.of("input", GOOD), null,
						List.of("metadata.baseline.features.input")),
				Arguments.of("string input", Map.of("text[0]", GOOD), null,
						List.of("metadata.baseline.features.text[0]")),
				Arguments.of("column key on a bound model", Map.of("input[1]", GOOD), BINDING,
						List.of("metadata.baseline.features.input[1]")),
				Arguments.of("feature the binding does not feed", Map.of("balance", GOOD), BINDING,
						List.of("metadata.baseline.features.balance")),
				Arguments.of("missing histogram", mapWithNull("score"), null,
						List.of("metadata.baseline.features.score")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badBaselines")
	void refusesABaselineNamingEveryBadField(String description, Map<String, Baseline.Histogram> features,
			FeatureBinding binding, List<String> fields) {
		InvalidBaselineException refused = catchThrowableOfType(InvalidBaselineException.class,
				() -> BaselineCheck.resolve(new Baseline(features), SIGNATURE, binding));

		assertThat(refused).as(description).isNotNull();
		assertThat(refused.errors()).extracting(FieldError::field).containsExactlyInAnyOrderElementsOf(fields);
	}

	private static Baseline.Histogram histogram(List<Double> edges, List<Double> proportions) {
		return new Baseline.Histogram(edges, proportions);
	}

	private static Map<String, Baseline.Histogram> mapWithNull(String key) {
		Map<String, Baseline.Histogram> map = new LinkedHashMap<>();
		map.put(key, null);
		return map;
	}

}
