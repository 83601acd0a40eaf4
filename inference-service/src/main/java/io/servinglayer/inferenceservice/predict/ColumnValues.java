package io.servinglayer.inferenceservice.predict;

import io.servinglayer.inferenceservice.runtime.DataType;
import tools.jackson.databind.JsonNode;

/**
 * Puts one feature value into a tensor's flat array: from the online store's text, or
 * from a JSON value (a request feature or a declared default). Answers whether the value
 * fit the type.
 */
final class ColumnValues {

	private ColumnValues() {
	}

	static Object newArray(DataType dtype, int size) {
		return switch (dtype) {
			case BOOL -> new boolean[size];
			case INT32 -> new int[size];
			case INT64 -> new long[size];
			case FP32 -> new float[size];
			case FP64 -> new double[size];
			case BYTES -> new String[size];
		};
	}

	static boolean setText(Object array, int index, DataType dtype, String text) {
		if (text == null) {
			return false;
		}
		try {
			switch (dtype) {
				case BOOL -> {
					if (!text.equals("true") && !text.equals("false")) {
						return false;
					}
					((boolean[]) array)[index] = text.equals("true");
				}
				case INT32 -> ((int[]) array)[index] = Integer.parseInt(text);
				case INT64 -> ((long[]) array)[index] = Long.parseLong(text);
				case FP32 -> ((float[]) array)[index] = Float.parseFloat(text);
				case FP64 -> ((double[]) array)[index] = Double.parseDouble(text);
				case BYTES -> ((String[]) array)[index] = text;
			}
			return true;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	/** Whether a JSON value fits the type, as {@link #setJson} would take it. */
	static boolean fits(DataType dtype, JsonNode value) {
		if (value == null) {
			return false;
		}
		return switch (dtype) {
			case BOOL -> value.isBoolean();
			case INT32 -> value.isIntegralNumber() && value.canConvertToInt();
			case INT64 -> value.isIntegralNumber() && value.canConvertToLong();
			// A JSON number past the type's finite range would become Infinity: refused.
			case FP32 -> value.isNumber() && Math.abs(value.doubleValue()) <= Float.MAX_VALUE;
			case FP64 -> value.isNumber() && Double.isFinite(value.doubleValue());
			case BYTES -> value.isString();
		};
	}

	static boolean setJson(Object array, int index, DataType dtype, JsonNode value) {
		if (!fits(dtype, value)) {
			return false;
		}
		switch (dtype) {
			case BOOL -> ((boolean[]) array)[index] = value.booleanValue();
			case INT32 -> ((int[]) array)[index] = value.intValue();
			case INT64 -> ((long[]) array)[index] = value.longValue();
			case FP32 -> ((float[]) array)[index] = value.floatValue();
			case FP64 -> ((double[]) array)[index] = value.doubleValue();
			case BYTES -> ((String[]) array)[index] = value.stringValue();
		}
		return true;
	}

	static String expected(DataType dtype) {
		return switch (dtype) {
			case BOOL -> "a JSON boolean";
			case BYTES -> "a JSON string";
			case FP32, FP64 -> "a JSON number within the finite range of " + dtype;
			case INT32, INT64 -> "a whole JSON number within the range of " + dtype;
		};
	}

}
