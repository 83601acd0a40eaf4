package io.servinglayer.controlplane.featureview;

import io.servinglayer.controlplane.signature.DataType;

/**
 * A named, typed feature: a column of a feature view, or a feature the caller sends with
 * the request.
 */
public record FeatureSpec(String name, DataType dtype) {
}
