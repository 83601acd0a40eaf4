package io.servinglayer.controlplane.registry;

import java.util.List;

import io.servinglayer.controlplane.system.FieldError;
import io.servinglayer.controlplane.system.InvalidRequestException;

/**
 * A baseline whose histograms are malformed or whose features the model does not have;
 * lists every problem.
 */
class InvalidBaselineException extends InvalidRequestException {

	InvalidBaselineException(List<FieldError> problems) {
		super("invalid-baseline", "Invalid baseline", problems);
	}

}
