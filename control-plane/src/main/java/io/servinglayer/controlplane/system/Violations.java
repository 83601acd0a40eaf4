package io.servinglayer.controlplane.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects what is wrong with a request body so that the caller learns every problem from
 * one answer, then throws {@link InvalidRequestException} if there was any.
 */
public final class Violations {

	private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}");

	private final List<FieldError> errors = new ArrayList<>();

	public Violations add(String field, String message) {
		this.errors.add(new FieldError(field, message));
		return this;
	}

	public Violations require(boolean condition, String field, String message) {
		if (!condition) {
			add(field, message);
		}
		return this;
	}

	/** Checks an optional free-text field against a length limit. */
	public Violations maxLength(String value, int max, String field) {
		return require(value == null || value.length() <= max, field, "must be at most " + max + " characters");
	}

	/**
	 * Checks a string map (tags, labels): bounded size, keys like {@code team} or
	 * {@code app.kubernetes.io/name}.
	 */
	public Violations keyValues(Map<String, String> map, String field) {
		if (map == null) {
			return this;
		}
		require(map.size() <= 64, field, "must have at most 64 entries, got " + map.size());
		map.forEach((key, value) -> {
			require(key != null && KEY.matcher(key).matches(), field + "." + key,
					"keys are 1-63 characters of letters, digits, '.', '_', '-', '/', starting with a letter or digit");
			require(value != null && value.length() <= 256, field + "." + key, "values are 0-256 characters, not null");
		});
		return this;
	}

	public boolean isEmpty() {
		return this.errors.isEmpty();
	}

	public List<FieldError> errors() {
		return List.copyOf(this.errors);
	}

	public void throwIfAny() {
		if (!this.errors.isEmpty()) {
			throw new InvalidRequestException(this.errors);
		}
	}

}
