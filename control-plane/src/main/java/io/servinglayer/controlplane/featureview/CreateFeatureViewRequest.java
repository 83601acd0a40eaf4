package io.servinglayer.controlplane.featureview;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.servinglayer.controlplane.system.Violations;

/** The body of {@code POST /api/v1/feature-views}. */
record CreateFeatureViewRequest(String name, Integer version, String description, List<String> entityKeys,
		List<FeatureSpec> features, Long maxAgeSeconds, RowPolicy onMissing, RowPolicy onStale) {

	RowPolicy missingPolicy() {
		return (this.onMissing != null) ? this.onMissing : RowPolicy.REJECT;
	}

	RowPolicy stalePolicy() {
		return (this.onStale != null) ? this.onStale : RowPolicy.SERVE_STALE;
	}

	static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?");

	private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

	void validate() {
		Violations violations = new Violations();
		violations.require(this.name != null && NAME.matcher(this.name).matches(), "name",
				"must be 1-63 lower-case letters, digits, '_' or '-', starting and ending with a letter or digit");
		violations.require(this.version != null && this.version > 0, "version", "must be a positive integer");
		violations.maxLength(this.description, 4096, "description");
		violations.require(this.maxAgeSeconds != null && this.maxAgeSeconds > 0, "maxAgeSeconds",
				"must be a positive number of seconds");
		Set<String> names = new HashSet<>();
		if (this.entityKeys == null || this.entityKeys.isEmpty()) {
			violations.add("entityKeys", "must name at least one entity key column");
		}
		else {
			for (int i = 0; i < this.entityKeys.size(); i++) {
				String key = this.entityKeys.get(i);
				violations.require(key != null && COLUMN.matcher(key).matches(), "entityKeys[" + i + "]",
						"must be an identifier: letters, digits and '_', not starting with a digit");
				violations.require(key == null || names.add(key), "entityKeys[" + i + "]", "'" + key + "' is repeated");
			}
		}
		if (this.features == null || this.features.isEmpty()) {
			violations.add("features", "must list at least one feature");
		}
		else {
			for (int i = 0; i < this.features.size(); i++) {
				FeatureSpec feature = this.features.get(i);
				String field = "features[" + i + "]";
				if (feature == null) {
					violations.add(field, "must be an object with name and dtype");
					continue;
				}
				violations.require(feature.name() != null && COLUMN.matcher(feature.name()).matches(), field + ".name",
						"must be an identifier: letters, digits and '_', not starting with a digit");
				violations.require(feature.dtype() != null, field + ".dtype",
						"must be one of the Open Inference Protocol datatypes, such as FP32, INT64, BOOL or BYTES");
				violations.require(feature.name() == null || names.add(feature.name()), field + ".name",
						"'" + feature.name() + "' is already an entity key or another feature");
				boolean hasDefault = feature.defaultValue() != null && !feature.defaultValue().isNull();
				if (hasDefault && feature.dtype() != null) {
					violations.require(FeatureValues.encode(feature.dtype(), feature.defaultValue()) != null,
							field + ".defaultValue", "must be " + FeatureValues.expected(feature.dtype()));
				}
				violations.require(
						hasDefault || (missingPolicy() != RowPolicy.DEFAULTS && stalePolicy() != RowPolicy.DEFAULTS),
						field + ".defaultValue", "is required: the view's onMissing or onStale policy is \"defaults\"");
			}
		}
		violations.require(missingPolicy() != RowPolicy.SERVE_STALE, "onMissing",
				"must be \"reject\" or \"defaults\": a missing row has nothing stale to serve");
		violations.throwIfAny();
	}

}
