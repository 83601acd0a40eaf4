package io.servinglayer.inferenceservice.predict;

import java.lang.reflect.Array;

import io.servinglayer.inferenceservice.runtime.DataType;

/**
 * The inference service's own parsing of a stored feature value, as it fills a tensor
 * column with it.
 */
public final class StoredValues {

	private StoredValues() {
	}

	/** The value as the service reads it, or {@code null} when it does not parse. */
	public static Object parse(DataType dtype, String text) {
		Object column = ColumnValues.newArray(dtype, 1);
		return ColumnValues.setText(column, 0, dtype, text) ? Array.get(column, 0) : null;
	}

}
