package io.servinglayer.inferenceservice.serving;

/** The model is assigned here but not warm yet, or failed to load. */
public class ModelNotReadyException extends RuntimeException {

	public ModelNotReadyException(String message) {
		super(message);
	}

}
