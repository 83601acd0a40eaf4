package io.servinglayer.controlplane.registry;

import java.util.List;

/**
 * One feature of a stored baseline, resolved to the model input column it fills, as the
 * instances read it: they bin the values of column {@code column} of input {@code input}
 * (column 0 of a {@code [batch]} input) into {@code edges.size() + 1} bins and compare
 * the shares with {@code proportions}.
 *
 * @param name the feature's key in the uploaded baseline, and the {@code feature} label
 * of its drift gauge
 */
record BaselineFeature(String name, String input, int column, List<Double> edges, List<Double> proportions) {
}
