package io.servinglayer.inferenceservice.feedback;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.servinglayer.inferenceservice.predict.PredictResponse;
import io.servinglayer.inferenceservice.protocol.InferenceResponse;

/**
 * What an answer predicted, row by row, as a label sent later is compared with it: the
 * first output's value where a row holds one, the index of its largest value where a row
 * holds several (a classifier's scores), as the gateway's shadow agreement compares two
 * versions.
 */
final class Predicted {

	private Predicted() {
	}

	/**
	 * Each row's prediction (a {@link Number}, {@link Boolean} or {@link String}), or
	 * {@code null} when the answer holds none that can be compared with a label.
	 */
	static List<Object> of(Object answer) {
		if (answer instanceof InferenceResponse inferred) {
			return of(inferred);
		}
		if (answer instanceof PredictResponse predicted) {
			return of(predicted);
		}
		return null;
	}

	private static List<Object> of(InferenceResponse answer) {
		if (answer.outputs() == null || answer.outputs().isEmpty()) {
			return null;
		}
		InferenceResponse.Output output = answer.outputs().get(0);
		Object data = output.data();
		if (data == null || !data.getClass().isArray() || output.shape() == null) {
			return null;
		}
		int length = Array.getLength(data);
		long rows = (output.shape().length == 0) ? 1 : output.shape()[0];
		if (rows < 1 || length == 0 || length % rows != 0) {
			return null;
		}
		int width = (int) (length / rows);
		List<Object> predicted = new ArrayList<>((int) rows);
		for (int row = 0; row < rows; row++) {
			List<Object> values = new ArrayList<>(width);
			for (int i = row * width; i < (row + 1) * width; i++) {
				values.add(Array.get(data, i));
			}
			Object value = (width == 1) ? scalar(values.get(0)) : top(values);
			if (value == null) {
				return null;
			}
			predicted.add(value);
		}
		return predicted;
	}

	private static List<Object> of(PredictResponse answer) {
		if (answer.predictions() == null || answer.predictions().isEmpty()) {
			return null;
		}
		List<Object> predicted = new ArrayList<>(answer.predictions().size());
		for (Map<String, Object> row : answer.predictions()) {
			if (row.isEmpty()) {
				return null;
			}
			Object first = row.values().iterator().next();
			Object value = (first instanceof List<?> values) ? top(values) : scalar(first);
			if (value == null) {
				return null;
			}
			predicted.add(value);
		}
		return predicted;
	}

	/**
	 * The index of the largest of several numbers; {@code null} when one is no number.
	 */
	private static Object top(List<?> values) {
		if (values.size() == 1) {
			return scalar(values.get(0));
		}
		int best = -1;
		double bestValue = Double.NEGATIVE_INFINITY;
		for (int i = 0; i < values.size(); i++) {
			if (!(values.get(i) instanceof Number number)) {
				return null;
			}
			double value = number.doubleValue();
			if (best < 0 || value > bestValue) {
				best = i;
				bestValue = value;
			}
		}
		return best;
	}

	/** A value a label can equal; non-finite numbers cannot. */
	private static Object scalar(Object value) {
		if (value instanceof Double number) {
			return Double.isFinite(number) ? number : null;
		}
		if (value instanceof Float number) {
			return Float.isFinite(number) ? number : null;
		}
		if (value instanceof Number || value instanceof Boolean || value instanceof String) {
			return value;
		}
		if (value instanceof byte[] bytes) {
			return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
		}
		return null;
	}

}
