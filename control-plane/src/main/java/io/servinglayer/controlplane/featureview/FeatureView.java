package io.servinglayer.controlplane.featureview;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One immutable version of a feature view: the online features kept per entity (keyed by
 * {@code entityKeys}) and how old a row may be before it counts as stale.
 */
public record FeatureView(String name, int version, String description, List<String> entityKeys,
		List<FeatureSpec> features, long maxAgeSeconds, String createdBy, Instant createdAt) {

	public Optional<FeatureSpec> feature(String featureName) {
		return this.features.stream().filter((feature) -> feature.name().equals(featureName)).findFirst();
	}

}
