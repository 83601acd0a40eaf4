package io.servinglayer.inferenceservice.predict;

/**
 * The online store could not be read and the view's policy does not allow defaults: 503
 * with {@code Retry-After}.
 */
public class FeaturesUnavailableException extends RuntimeException {

	FeaturesUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
