package io.servinglayer.inferenceservice.runtime;

/**
 * A model that could not be opened or warmed up; it must never serve. The message says
 * why.
 */
public class ModelLoadException extends RuntimeException {

	public ModelLoadException(String message, Throwable cause) {
		super(message, cause);
	}

}
