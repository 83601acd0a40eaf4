package io.servinglayer.controlplane.registry;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.servinglayer.controlplane.signature.DataType;
import io.servinglayer.controlplane.signature.Signature;
import io.servinglayer.controlplane.signature.TensorSpec;
import io.servinglayer.controlplane.system.FieldError;

/**
 * Checks a version's training baseline against its signature and feature binding, and
 * resolves each feature to the input column it fills. Every problem is listed at once,
 * each under the field that holds it, such as
 * {@code metadata.baseline.features.amount.proportions}.
 */
final class BaselineCheck {

	/** How far the proportions' sum may stray from 1, for rounding in the trainer. */
	static final double SUM_TOLERANCE = 1e-6;

	static final int MAX_FEATURES = 256;

	static final int MAX_EDGES = 100;

	private static final String FIELD = "metadata.baseline";

	/** {@code input[column]}, the column without leading zeros so each has one key. */
	private static final Pattern COLUMN = Pattern.compile("(.+)\\[(0|[1-9][0-9]{0,8})]");

	/** What instances bin; other element types have no order to make bins of. */
	private static final Set<DataType> NUMERIC = EnumSet.of(DataType.FP32, DataType.FP64, DataType.INT32,
			DataType.INT64);

	private BaselineCheck() {
	}

	/**
	 * The baseline's features with the input column each one fills.
	 * @param binding the version's feature binding, {@code null} when it has none; with
	 * one, features are named as in the binding
	 * @throws InvalidBaselineException listing every problem
	 */
	static List<BaselineFeature> resolve(Baseline baseline, Signature signature, FeatureBinding binding) {
		List<FieldError> errors = new ArrayList<>();
		Map<String, Baseline.Histogram> features = baseline.features();
		if (features == null || features.isEmpty()) {
			throw new InvalidBaselineException(List.of(new FieldError(FIELD + ".features",
					"must hold at least one feature's histogram, by feature name or input[column]")));
		}
		if (features.size() > MAX_FEATURES) {
			throw new InvalidBaselineException(List.of(new FieldError(FIELD + ".features",
					"must hold at most " + MAX_FEATURES + " features, got " + features.size())));
		}
		List<BaselineFeature> resolved = new ArrayList<>();
		features.forEach((name, histogram) -> {
			String field = FIELD + ".features." + name;
			Optional<Column> column = column(name, signature, binding, field, errors);
			boolean wellFormed = checkHistogram(histogram, field, errors);
			if (column.isPresent() && wellFormed) {
				resolved.add(new BaselineFeature(name, column.get().input(), column.get().index(),
						List.copyOf(histogram.edges()), List.copyOf(histogram.proportions())));
			}
		});
		if (!errors.isEmpty()) {
			throw new InvalidBaselineException(errors);
		}
		return resolved;
	}

	private static Optional<Column> column(String name, Signature signature, FeatureBinding binding, String field,
			List<FieldError> errors) {
		if (name == null || name.isEmpty() || name.length() > 128) {
			errors.add(new FieldError(field, "feature keys are 1-128 characters"));
			return Optional.empty();
		}
		if (binding != null) {
			Map<String, List<String>> inputs = (binding.inputs() != null) ? binding.inputs() : Map.of();
			for (Map.Entry<String, List<String>> input : inputs.entrySet()) {
				int index = (input.getValue() != null) ? input.getValue().indexOf(name) : -1;
				if (index >= 0) {
					return numeric(signature.input(input.getKey()).orElseThrow(), field, errors)
						.map((spec) -> new Column(spec.name(), index));
				}
			}
			errors.add(new FieldError(field, "'" + name + "' is not a feature of the version's feature binding; "
					+ "its features are " + inputs.values().stream().flatMap(List::stream).toList()));
			return Optional.empty();
		}
		Matcher matcher = COLUMN.matcher(name);
		if (matcher.matches()) {
			Optional<TensorSpec> input = signature.input(matcher.group(1));
			int index = Integer.parseInt(matcher.group(2));
			if (input.isEmpty()) {
				errors.add(new FieldError(field, "the model has no input '" + matcher.group(1) + "'; its inputs are "
						+ signature.inputs().stream().map(TensorSpec::name).toList()));
				return Optional.empty();
			}
			TensorSpec spec = input.get();
			if (spec.rank() != 2) {
				errors.add(new FieldError(field, "input '" + spec.name() + "' has shape " + spec.shape()
						+ "; input[column] names a column of a [batch, columns] input"));
				return Optional.empty();
			}
			long width = spec.shape().get(1);
			if (width > 0 && index >= width) {
				errors.add(new FieldError(field, "input '" + spec.name() + "' has " + width + " columns (shape "
						+ spec.shape() + "), so no column " + index));
				return Optional.empty();
			}
			return numeric(spec, field, errors).map((numeric) -> new Column(numeric.name(), index));
		}
		Optional<TensorSpec> input = signature.input(name);
		if (input.isPresent() && input.get().rank() == 1) {
			return numeric(input.get(), field, errors).map((spec) -> new Column(spec.name(), 0));
		}
		errors.add(new FieldError(field, (input.isPresent())
				? "input '" + name + "' has shape " + input.get().shape() + "; name one of its columns as " + name
						+ "[column]"
				: "the model has no input '" + name + "' and the version has no feature binding; name a [batch] "
						+ "input, or a column of a [batch, columns] input as input[column]; its inputs are "
						+ signature.inputs().stream().map(TensorSpec::name).toList()));
		return Optional.empty();
	}

	private static Optional<TensorSpec> numeric(TensorSpec input, String field, List<FieldError> errors) {
		if (NUMERIC.contains(input.datatype())) {
			return Optional.of(input);
		}
		errors.add(new FieldError(field, "input '" + input.name() + "' is " + input.datatype()
				+ "; drift is measured on FP32, FP64, INT32 and INT64 inputs"));
		return Optional.empty();
	}

	private static boolean checkHistogram(Baseline.Histogram histogram, String field, List<FieldError> errors) {
		if (histogram == null) {
			errors.add(new FieldError(field, "must be an object with edges and proportions"));
			return false;
		}
		int before = errors.size();
		List<Double> edges = histogram.edges();
		List<Double> proportions = histogram.proportions();
		if (edges == null || edges.isEmpty() || edges.size() > MAX_EDGES) {
			errors.add(new FieldError(field + ".edges",
					"must list 1 to " + MAX_EDGES + " bin edges, got " + ((edges != null) ? edges.size() : "none")));
		}
		else {
			for (int i = 0; i < edges.size(); i++) {
				Double edge = edges.get(i);
				if (edge == null || !Double.isFinite(edge)) {
					errors.add(new FieldError(field + ".edges[" + i + "]", "must be a finite number, got " + edge));
				}
				else if (i > 0 && edges.get(i - 1) != null && !(edge > edges.get(i - 1))) {
					errors.add(new FieldError(field + ".edges[" + i + "]",
							"edges must be strictly increasing: " + edge + " follows " + edges.get(i - 1)));
				}
			}
		}
		if (proportions == null || edges != null && proportions.size() != edges.size() + 1) {
			errors.add(new FieldError(field + ".proportions",
					"must hold one share per bin: " + ((edges != null) ? edges.size() + 1 : "edges + 1") + " for "
							+ ((edges != null) ? edges.size() : 0) + " edges, got "
							+ ((proportions != null) ? proportions.size() : "none")));
		}
		else {
			double sum = 0;
			boolean valid = true;
			for (int i = 0; i < proportions.size(); i++) {
				Double share = proportions.get(i);
				if (share == null || !Double.isFinite(share) || share < 0) {
					errors.add(new FieldError(field + ".proportions[" + i + "]",
							"must be a finite number of at least 0, got " + share));
					valid = false;
				}
				else {
					sum += share;
				}
			}
			if (valid && Math.abs(sum - 1) > SUM_TOLERANCE) {
				errors.add(new FieldError(field + ".proportions",
						"must sum to 1 (within " + SUM_TOLERANCE + "), got " + sum));
			}
		}
		return errors.size() == before;
	}

	private record Column(String input, int index) {
	}

}
