package io.servinglayer.controlplane.system;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Says where a JSON body could not be read into its type, and what was expected there, in
 * the words of the API rather than of Java: {@code stableVersion: must be a whole
 * number}.
 */
public final class JsonBodyErrors {

	private JsonBodyErrors() {
	}

	/**
	 * The field error for a body that failed to bind; {@code null} when the failure has
	 * no path into the body (the text is not JSON at all).
	 * @param root the name of the part the JSON came from ({@code metadata}), or
	 * {@code null} for a whole request body
	 */
	public static FieldError of(JacksonException ex, String root) {
		if (ex.getPath().isEmpty() && !(ex instanceof MismatchedInputException)) {
			return null;
		}
		StringBuilder field = new StringBuilder((root != null) ? root : "");
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				field.append(field.isEmpty() ? "" : ".").append(reference.getPropertyName().replace("\0", "\\u0000"));
			}
			else if (reference.getIndex() >= 0) {
				field.append('[').append(reference.getIndex()).append(']');
			}
		}
		return new FieldError(field.isEmpty() ? "body" : field.toString(), message(ex));
	}

	private static String message(JacksonException ex) {
		if (NulCharacters.MESSAGE.equals(ex.getOriginalMessage())) {
			return NulCharacters.MESSAGE;
		}
		if (ex instanceof UnrecognizedPropertyException unknown) {
			Collection<Object> known = unknown.getKnownPropertyIds();
			return "is not a field here"
					+ ((known != null && !known.isEmpty())
							? "; the fields are "
									+ known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "))
							: "");
		}
		if (ex instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
			return "must be " + expected(mismatch.getTargetType(), ex.getOriginalMessage());
		}
		return "could not be read: " + ex.getOriginalMessage();
	}

	private static String expected(Class<?> type, String original) {
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class
				|| type == Short.class || type == short.class) {
			return "a whole number";
		}
		if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
			return "a number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == String.class) {
			return "a string";
		}
		if (type.isEnum()) {
			int values = (original != null) ? original.lastIndexOf('[') : -1;
			return "one of " + ((values >= 0) ? original.substring(values) : "the documented values");
		}
		if (type.isArray() || Collection.class.isAssignableFrom(type)) {
			return "an array";
		}
		if (Map.class.isAssignableFrom(type) || type.isRecord()) {
			return "an object";
		}
		return "of another type";
	}

}
