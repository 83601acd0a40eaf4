package io.servinglayer.inferenceservice.serving;

/** No such model, or no such version of it, on this instance. */
public class ModelNotServedException extends RuntimeException {

	public ModelNotServedException(String message) {
		super(message);
	}

}
