package io.servinglayer.controlplane.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.servinglayer.controlplane.featureview.FeatureSpec;
import io.servinglayer.controlplane.featureview.FeatureView;
import io.servinglayer.controlplane.featureview.RowPolicy;
import io.servinglayer.controlplane.signature.DataType;
import io.servinglayer.controlplane.signature.Signature;
import io.servinglayer.controlplane.signature.TensorSpec;
import io.servinglayer.controlplane.system.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class FeatureBindingCheckTests {

	private static final Signature SIGNATURE = new Signature(
			List.of(new TensorSpec("input", DataType.FP32, List.of(-1L, 3L), java.util.Arrays.asList("batch", null))),
			List.of(new TensorSpec("output", DataType.FP32, List.of(-1L, 2L), java.util.Arrays.asList("batch", null))));

	private static final FeatureView VIEW = new FeatureView("cards", 1, "", List.of("card_id"),
			List.of(new FeatureSpec("age", DataType.FP32), new FeatureSpec("count", DataType.FP32),
					new FeatureSpec("flag", DataType.BOOL)),
			60, RowPolicy.REJECT, RowPolicy.SERVE_STALE, "test", Instant.EPOCH);

	private static final FeatureBinding.FeatureViewRef REF = new FeatureBinding.FeatureViewRef("cards", 1);

	private static final List<FeatureSpec> AMOUNT = List.of(new FeatureSpec("amount", DataType.FP32));

	@Test
	void acceptsViewAndRequestFeaturesOfTheInputsTypeFillingEveryColumn() {
		FeatureBinding binding = new FeatureBinding(REF, AMOUNT, Map.of("input", List.of("age", "amount", "count")));
		assertThat(FeatureBindingCheck.mismatches(binding, SIGNATURE, Optional.of(VIEW))).isEmpty();
	}

	static Stream<Arguments> mismatches() {
		return Stream.of(
				Arguments.of("feature of another dtype",
						new FeatureBinding(REF, AMOUNT, Map.of("input", List.of("age", "amount", "flag"))),
						Optional.of(VIEW), List.of("featureBinding.inputs.input[2]")),
				Arguments.of("unknown feature",
						new FeatureBinding(REF, AMOUNT, Map.of("input", List.of("age", "amount", "nope"))),
						Optional.of(VIEW), List.of("featureBinding.inputs.input[2]")),
				Arguments.of("too few columns",
						new FeatureBinding(REF, AMOUNT, Map.of("input", List.of("age", "amount"))), Optional.of(VIEW),
						List.of("featureBinding.inputs.input")),
				Arguments.of("column bound twice",
						new FeatureBinding(REF, AMOUNT, Map.of("input", List.of("age", "age", "amount"))),
						Optional.of(VIEW), List.of("featureBinding.inputs.input[1]")),
				Arguments.of("input the model lacks",
						new FeatureBinding(REF, AMOUNT,
								Map.of("input", List.of("age", "amount", "count"), "other", List.of("age"))),
						Optional.of(VIEW), List.of("featureBinding.inputs.other")),
				Arguments.of("model input left unbound", new FeatureBinding(REF, AMOUNT, Map.of()), Optional.of(VIEW),
						List.of("featureBinding.inputs.input")),
				Arguments.of("feature view that does not exist",
						new FeatureBinding(REF, AMOUNT, Map.of("input", List.of("age", "amount", "count"))),
						Optional.empty(),
						List.of("featureBinding.featureView", "featureBinding.inputs.input[0]",
								"featureBinding.inputs.input[2]")),
				Arguments.of("request feature shadowing a view feature",
						new FeatureBinding(REF, List.of(new FeatureSpec("age", DataType.FP32)),
								Map.of("input", List.of("age", "count", "flag"))),
						Optional.of(VIEW),
						List.of("featureBinding.requestFeatures[0]", "featureBinding.inputs.input[2]")),
				Arguments.of("request features only, one of the wrong type",
						new FeatureBinding(null,
								List.of(new FeatureSpec("a", DataType.FP32), new FeatureSpec("b", DataType.INT64),
										new FeatureSpec("c", DataType.FP32)),
								Map.of("input", List.of("a", "b", "c"))),
						Optional.empty(), List.of("featureBinding.inputs.input[1]")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mismatches")
	void reportsEveryMismatchByField(String description, FeatureBinding binding, Optional<FeatureView> view,
			List<String> fields) {
		List<FieldError> errors = FeatureBindingCheck.mismatches(binding, SIGNATURE, view);
		assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrderElementsOf(fields);
		assertThat(errors).allSatisfy((error) -> assertThat(error.message()).isNotBlank());
	}

}
