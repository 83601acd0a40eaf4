package io.servinglayer.controlplane.registry;

import java.util.List;

import io.servinglayer.controlplane.system.FieldError;
import io.servinglayer.controlplane.system.InvalidRequestException;

/**
 * A feature binding that disagrees with the model's signature or the feature view; lists
 * every mismatch.
 */
class FeatureBindingMismatchException extends InvalidRequestException {

	FeatureBindingMismatchException(List<FieldError> mismatches) {
		super("feature-binding-mismatch", "Feature binding does not match", mismatches);
	}

}
