package io.servinglayer.controlplane.featureview;

import io.servinglayer.controlplane.signature.DataType;
import tools.jackson.databind.JsonNode;

/**
 * How a feature value is written in the online store: one Redis hash field per feature,
 * holding the value as text (decimal numbers, {@code true}/{@code false}, or the string
 * itself for BYTES). Readers parse it by the feature's dtype.
 */
final class FeatureValues {

	private FeatureValues() {
	}

	/**
	 * The stored text of a JSON value, or {@code null} when the value does not fit the
	 * type.
	 */
	static String encode(DataType dtype, JsonNode value) {
		if (value == null || value.isNull()) {
			return null;
		}
		return switch (dtype) {
			case BOOL -> value.isBoolean() ? Boolean.toString(value.booleanValue()) : null;
			case BYTES -> value.isString() ? value.stringValue() : null;
			case FP16, BF16, FP32 -> value.isNumber() ? Float.toString(value.floatValue()) : null;
			case FP64 -> value.isNumber() ? Double.toString(value.doubleValue()) : null;
			case INT8 -> integral(value, Byte.MIN_VALUE, Byte.MAX_VALUE);
			case INT16 -> integral(value, Short.MIN_VALUE, Short.MAX_VALUE);
			case INT32 -> integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
			case INT64 -> integral(value, Long.MIN_VALUE, Long.MAX_VALUE);
			case UINT8 -> integral(value, 0, 0xFF);
			case UINT16 -> integral(value, 0, 0xFFFF);
			case UINT32 -> integral(value, 0, 0xFFFF_FFFFL);
			case UINT64 -> integral(value, 0, Long.MAX_VALUE);
		};
	}

	/** What {@link #encode} expects of a type, for error messages. */
	static String expected(DataType dtype) {
		return switch (dtype) {
			case BOOL -> "a JSON boolean";
			case BYTES -> "a JSON string";
			case FP16, BF16, FP32, FP64 -> "a JSON number";
			default -> "a whole JSON number within the range of " + dtype;
		};
	}

	private static String integral(JsonNode value, long min, long max) {
		if (!value.isIntegralNumber() || !value.canConvertToLong()) {
			return null;
		}
		long number = value.longValue();
		return (number >= min && number <= max) ? Long.toString(number) : null;
	}

}
