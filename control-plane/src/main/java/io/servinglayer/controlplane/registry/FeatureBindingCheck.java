package io.servinglayer.controlplane.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.servinglayer.controlplane.featureview.FeatureSpec;
import io.servinglayer.controlplane.featureview.FeatureView;
import io.servinglayer.controlplane.signature.DataType;
import io.servinglayer.controlplane.signature.Signature;
import io.servinglayer.controlplane.signature.TensorSpec;
import io.servinglayer.controlplane.system.FieldError;

/**
 * Checks a feature binding against the model's signature and the bound feature view, and
 * lists every disagreement, so that a model never reaches serving with inputs that
 * features cannot fill. Element types must match exactly: a silent FP64-to-FP32 narrowing
 * is how wrong answers start.
 */
final class FeatureBindingCheck {

	private static final String FIELD = "featureBinding";

	private FeatureBindingCheck() {
	}

	/**
	 * @param view the bound feature view version, empty when the binding names none or it
	 * does not exist
	 */
	static List<FieldError> mismatches(FeatureBinding binding, Signature signature, Optional<FeatureView> view) {
		List<FieldError> errors = new ArrayList<>();
		Map<String, DataType> available = new HashMap<>();
		String viewName = null;
		if (binding.featureView() != null) {
			FeatureBinding.FeatureViewRef ref = binding.featureView();
			viewName = "feature view '" + ref.name() + "' version " + ref.version();
			if (ref.name() == null || ref.version() == null) {
				errors.add(new FieldError(FIELD + ".featureView", "must give the view's name and version"));
			}
			else if (view.isEmpty()) {
				errors.add(new FieldError(FIELD + ".featureView", viewName + " does not exist"));
			}
			view.ifPresent((v) -> v.features().forEach((feature) -> available.put(feature.name(), feature.dtype())));
		}
		Set<String> reserved = new HashSet<>(available.keySet());
		view.ifPresent((v) -> reserved.addAll(v.entityKeys()));
		List<FeatureSpec> requestFeatures = (binding.requestFeatures() != null) ? binding.requestFeatures() : List.of();
		for (int i = 0; i < requestFeatures.size(); i++) {
			FeatureSpec feature = requestFeatures.get(i);
			String field = FIELD + ".requestFeatures[" + i + "]";
			if (feature == null || feature.name() == null || feature.dtype() == null) {
				errors.add(new FieldError(field, "must have a name and a dtype"));
				continue;
			}
			if (!reserved.add(feature.name())) {
				errors.add(new FieldError(field, "'" + feature.name() + "' is already a feature or entity key of "
						+ ((viewName != null) ? viewName : "this binding")));
				continue;
			}
			available.put(feature.name(), feature.dtype());
		}
		Map<String, List<String>> inputs = (binding.inputs() != null) ? binding.inputs() : Map.of();
		for (TensorSpec input : signature.inputs()) {
			if (!inputs.containsKey(input.name())) {
				errors.add(new FieldError(FIELD + ".inputs." + input.name(), "model input '" + input.name() + "' ("
						+ input.datatype() + " " + input.shape() + ") is not bound"));
			}
		}
		for (Map.Entry<String, List<String>> bound : inputs.entrySet()) {
			String field = FIELD + ".inputs." + bound.getKey();
			Optional<TensorSpec> found = signature.input(bound.getKey());
			if (found.isEmpty()) {
				errors.add(new FieldError(field, "the model has no input '" + bound.getKey() + "'; its inputs are "
						+ signature.inputs().stream().map(TensorSpec::name).toList()));
				continue;
			}
			checkColumns(found.get(), (bound.getValue() != null) ? bound.getValue() : List.of(), available, viewName,
					field, errors);
		}
		return errors;
	}

	private static void checkColumns(TensorSpec input, List<String> columns, Map<String, DataType> available,
			String viewName, String field, List<FieldError> errors) {
		if (columns.isEmpty()) {
			errors.add(new FieldError(field, "must list the features that fill the input's columns, in order"));
			return;
		}
		if (input.rank() == 2) {
			long width = input.shape().get(1);
			if (width > 0 && width != columns.size()) {
				errors.add(new FieldError(field, "binds " + columns.size() + " columns but input '" + input.name()
						+ "' has " + width + " (shape " + input.shape() + ")"));
			}
		}
		else if (!(input.rank() == 1 && columns.size() == 1)) {
			errors.add(new FieldError(field, "input '" + input.name() + "' has shape " + input.shape()
					+ "; features can fill [batch, columns] inputs, or [batch] inputs with one column"));
		}
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < columns.size(); i++) {
			String column = columns.get(i);
			String columnField = field + "[" + i + "]";
			if (!seen.add(column)) {
				errors.add(new FieldError(columnField, "'" + column + "' fills more than one column"));
				continue;
			}
			DataType dtype = available.get(column);
			if (dtype == null) {
				errors.add(new FieldError(columnField, "'" + column + "' is neither a feature of "
						+ ((viewName != null) ? viewName : "a bound feature view") + " nor a request feature"));
			}
			else if (dtype != input.datatype()) {
				errors.add(new FieldError(columnField, "feature '" + column + "' is " + dtype + " but input '"
						+ input.name() + "' is " + input.datatype()));
			}
		}
	}

}
