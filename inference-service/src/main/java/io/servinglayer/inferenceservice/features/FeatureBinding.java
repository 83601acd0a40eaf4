package io.servinglayer.inferenceservice.features;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.servinglayer.contracts.RoutingSnapshot;
import io.servinglayer.inferenceservice.runtime.DataType;

/**
 * How a version's inputs are filled from named features: each input takes the listed
 * columns in order, each column a feature of the bound view (looked up by entity key) or
 * a request feature the caller sends.
 *
 * @param view the bound feature view, or {@code null} when every column comes with the
 * request
 * @param requestFeatures the features the caller sends, with their types
 * @param inputs the columns of each input, by input name
 */
public record FeatureBinding(FeatureView view, Map<String, DataType> requestFeatures, Map<String, List<String>> inputs,
		Set<String> instanceFields) {

	/**
	 * @param instanceFields the fields an instance of a {@code :predict} request may
	 * carry: the request features, then the view's entity keys; worked out once here, not
	 * per instance
	 */
	public FeatureBinding(FeatureView view, Map<String, DataType> requestFeatures, Map<String, List<String>> inputs) {
		this(view, requestFeatures, inputs, instanceFields(view, requestFeatures));
	}

	private static Set<String> instanceFields(FeatureView view, Map<String, DataType> requestFeatures) {
		Set<String> fields = new LinkedHashSet<>(requestFeatures.keySet());
		if (view != null) {
			fields.addAll(view.entityKeys());
		}
		return Collections.unmodifiableSet(fields);
	}

	/**
	 * The binding in a snapshot's version entry, with its view found among the snapshot's
	 * feature views; {@code null} when the version has none.
	 * @throws IllegalArgumentException when the snapshot lacks the bound view
	 */
	public static FeatureBinding of(RoutingSnapshot.FeatureBinding binding, RoutingSnapshot snapshot) {
		if (binding == null) {
			return null;
		}
		FeatureView view = null;
		RoutingSnapshot.FeatureViewRef ref = binding.featureView();
		if (ref != null) {
			RoutingSnapshot.FeatureView bound = snapshot.featureView(ref.name(), ref.version());
			if (bound == null) {
				throw new IllegalArgumentException(
						"the routing snapshot lacks feature view " + ref.name() + " version " + ref.version());
			}
			view = FeatureView.of(bound);
		}
		Map<String, DataType> requestFeatures = new LinkedHashMap<>();
		for (RoutingSnapshot.Feature feature : binding.requestFeatures()) {
			requestFeatures.put(feature.name(), DataType.parse(feature.dtype()));
		}
		return new FeatureBinding(view, requestFeatures, binding.inputs());
	}

}
