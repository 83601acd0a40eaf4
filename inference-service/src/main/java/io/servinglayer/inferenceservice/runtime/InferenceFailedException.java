package io.servinglayer.inferenceservice.runtime;

/** ONNX Runtime failed to run a request that passed validation. */
public class InferenceFailedException extends RuntimeException {

	public InferenceFailedException(String message, Throwable cause) {
		super(message, cause);
	}

}
