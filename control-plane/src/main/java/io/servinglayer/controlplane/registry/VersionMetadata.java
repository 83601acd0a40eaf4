package io.servinglayer.controlplane.registry;

import java.util.Map;
import java.util.regex.Pattern;

import io.servinglayer.controlplane.system.Violations;

/**
 * The {@code metadata} part of a version upload; every field is optional.
 *
 * @param label a human name for the version, unique within the model (such as
 * {@code 2026-11-28} or {@code v1.4.0})
 * @param labels free key/value labels
 * @param trainingMetrics metrics measured when the version was trained, such as
 * {@code auc}
 * @param featureBinding how the model's inputs are filled from features
 * @param baseline how each input feature was distributed in the training data, for drift
 */
record VersionMetadata(String label, String description, Map<String, String> labels,
		Map<String, Double> trainingMetrics, FeatureBinding featureBinding, Baseline baseline) {

	static final VersionMetadata EMPTY = new VersionMetadata(null, null, null, null, null, null);

	private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

	void validate() {
		Violations violations = new Violations()
			.require(this.label == null || LABEL.matcher(this.label).matches(), "metadata.label",
					"must be 1-64 letters, digits, '.', '_', '+' or '-', starting with a letter or digit")
			.maxLength(this.description, 4096, "metadata.description")
			.keyValues(this.labels, "metadata.labels");
		if (this.trainingMetrics != null) {
			violations.require(this.trainingMetrics.size() <= 64, "metadata.trainingMetrics",
					"must have at most 64 entries");
			this.trainingMetrics.forEach((name, value) -> violations.require(
					name != null && name.length() <= 128 && value != null && Double.isFinite(value),
					"metadata.trainingMetrics." + name,
					"must be a finite number under a name of at most 128 characters"));
		}
		violations.throwIfAny();
	}

}
