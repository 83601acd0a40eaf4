package io.servinglayer.controlplane.registry;

import java.util.List;
import java.util.Map;

import io.servinglayer.controlplane.featureview.FeatureSpec;

/**
 * How a model version's ONNX inputs are filled at request time: each input (by name)
 * takes the listed features as its columns, in order. A column is a feature of the bound
 * feature view version, looked up in the online store by entity key, or a request feature
 * the caller sends.
 *
 * <p>
 * Example: {@code {"featureView": {"name": "fraud_features", "version": 1},
 * "requestFeatures": [{"name": "amount", "dtype": "FP32"}], "inputs": {"input":
 * ["account_age_days", "amount", "txn_count_24h"]}}}
 */
public record FeatureBinding(FeatureViewRef featureView, List<FeatureSpec> requestFeatures,
		Map<String, List<String>> inputs) {

	/** A feature view version. */
	public record FeatureViewRef(String name, Integer version) {
	}

}
