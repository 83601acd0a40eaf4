package io.servinglayer.controlplane.system;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A well-formed request whose content breaks the API's rules; lists every broken rule at
 * once.
 */
public class InvalidRequestException extends ApiProblem {

	private final List<FieldError> errors;

	public InvalidRequestException(List<FieldError> errors) {
		this("invalid-request", "Invalid request", errors);
	}

	protected InvalidRequestException(String type, String title, List<FieldError> errors) {
		super(HttpStatus.UNPROCESSABLE_CONTENT, type, title, summarize(errors));
		this.errors = List.copyOf(errors);
	}

	public List<FieldError> errors() {
		return this.errors;
	}

	@Override
	protected Map<String, Object> extensions() {
		return Map.of("errors", this.errors);
	}

	private static String summarize(List<FieldError> errors) {
		if (errors.size() == 1) {
			return errors.get(0).field() + ": " + errors.get(0).message();
		}
		return errors.size() + " problems: " + errors.get(0).field() + ": " + errors.get(0).message() + "; …";
	}

}
