package io.servinglayer.controlplane.featureview;

import java.util.Map;

/**
 * One entity's features at one event time, as the online store keeps them.
 *
 * @param entity the entity id: the entity key values, joined by {@code |} when the view
 * has several
 * @param eventTimeMillis when the values were true, in epoch milliseconds
 * @param values each feature's stored text, by feature name
 */
record OnlineRow(String entity, long eventTimeMillis, Map<String, String> values) {
}
