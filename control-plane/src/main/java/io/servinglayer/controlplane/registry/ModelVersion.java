package io.servinglayer.controlplane.registry;

import java.time.Instant;
import java.util.Map;

import io.servinglayer.controlplane.signature.Signature;

/**
 * One immutable version of a model, as the admin API shows it. {@code version} is the
 * number the registry assigned (1, 2, 3… per model); {@code digest} is the SHA-256 of the
 * ONNX file, in hex.
 */
record ModelVersion(String model, int version, String label, String description, Map<String, String> labels,
		Map<String, Double> trainingMetrics, String digest, long sizeBytes, Signature signature,
		FeatureBinding featureBinding, boolean archived, Instant archivedAt, String createdBy, Instant createdAt) {
}
