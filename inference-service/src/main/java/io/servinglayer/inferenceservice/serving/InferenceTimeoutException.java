package io.servinglayer.inferenceservice.serving;

/** The answer did not come within the deployment's timeout. */
public class InferenceTimeoutException extends RuntimeException {

	public InferenceTimeoutException(String deployment, int version, int timeoutMs) {
		super("version " + version + " of '" + deployment + "' did not answer within " + timeoutMs + " ms");
	}

}
