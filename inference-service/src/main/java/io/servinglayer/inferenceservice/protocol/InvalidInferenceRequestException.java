package io.servinglayer.inferenceservice.protocol;

/**
 * A request that does not fit the model's signature; answered with 400. {@code field} is
 * where the problem is, such as {@code inputs[0].shape}, and the message says what was
 * expected.
 */
public class InvalidInferenceRequestException extends RuntimeException implements CallersMistake {

	private final String field;

	public InvalidInferenceRequestException(String field, String message) {
		super(field + ": " + message);
		this.field = field;
	}

	public String field() {
		return this.field;
	}

}
