package io.servinglayer.controlplane.featureview;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One immutable version of a feature view: the online features kept per entity (keyed by
 * {@code entityKeys}), how old a row may be before it counts as stale, and what the
 * inference service does when an entity's row is missing ({@code onMissing}) or stale
 * ({@code onStale}).
 */
public record FeatureView(String name, int version, String description, List<String> entityKeys,
		List<FeatureSpec> features, long maxAgeSeconds, RowPolicy onMissing, RowPolicy onStale, String createdBy,
		Instant createdAt) {

	public Optional<FeatureSpec> feature(String featureName) {
		return this.features.stream().filter((feature) -> feature.name().equals(featureName)).findFirst();
	}

}
