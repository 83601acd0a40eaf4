package io.servinglayer.inferenceservice.predict;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

import io.servinglayer.inferenceservice.runtime.Tensor;

/** Cuts an output tensor into the rows of a predict answer. */
final class Predictions {

	private Predictions() {
	}

	/**
	 * Row {@code row} of {@code rows}: a single value when the row holds one element (a
	 * label, a score), else its elements in row-major order.
	 */
	static Object row(Tensor output, int row, int rows) {
		int length = Array.getLength(output.data());
		int width = length / rows;
		if (width == 1) {
			return Array.get(output.data(), row);
		}
		List<Object> values = new ArrayList<>(width);
		for (int i = row * width; i < (row + 1) * width; i++) {
			values.add(Array.get(output.data(), i));
		}
		return values;
	}

}
