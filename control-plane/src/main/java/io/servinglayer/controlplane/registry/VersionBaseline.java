package io.servinglayer.controlplane.registry;

import java.util.List;

/**
 * The training baseline stored with a model version, as {@code GET
 * /api/v1/models/{model}/versions/{version}/baseline} answers it.
 */
record VersionBaseline(String model, int version, List<BaselineFeature> features) {
}
