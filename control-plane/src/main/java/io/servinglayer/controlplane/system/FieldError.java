package io.servinglayer.controlplane.system;

/**
 * One thing wrong with a request: where ({@code field}, a dotted path into the body such
 * as {@code featureBinding.inputs.input[1]}) and what was expected there.
 */
public record FieldError(String field, String message) {
}
