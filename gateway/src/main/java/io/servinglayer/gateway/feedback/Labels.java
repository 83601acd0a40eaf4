package io.servinglayer.gateway.feedback;

import tools.jackson.databind.JsonNode;

/**
 * Whether a label matches what was predicted: numbers (true/false as 1/0) within 1e-4, as
 * the shadow agreement compares values, so a class index matches exactly and a value
 * survives the round trip through text; strings when equal.
 */
final class Labels {

	private static final double TOLERANCE = 1e-4;

	private Labels() {
	}

	/** Whether the two can be compared at all: both numbers, or both strings. */
	static boolean comparable(JsonNode label, JsonNode predicted) {
		return (numeric(label) && numeric(predicted)) || (label.isString() && predicted.isString());
	}

	static boolean matches(JsonNode label, JsonNode predicted) {
		if (label.isString() || predicted.isString()) {
			return label.isString() && predicted.isString() && label.stringValue().equals(predicted.stringValue());
		}
		return Math.abs(number(label) - number(predicted)) <= TOLERANCE;
	}

	private static boolean numeric(JsonNode node) {
		return node.isNumber() || node.isBoolean();
	}

	private static double number(JsonNode node) {
		return node.isBoolean() ? (node.booleanValue() ? 1 : 0) : node.doubleValue();
	}

}
