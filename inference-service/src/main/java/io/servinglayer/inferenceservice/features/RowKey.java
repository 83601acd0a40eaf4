package io.servinglayer.inferenceservice.features;

/** One entity's row in one feature view version. */
public record RowKey(String view, int version, String entity) {
}
