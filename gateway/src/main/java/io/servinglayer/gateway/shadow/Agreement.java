package io.servinglayer.gateway.shadow;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * Whether a shadow answer agrees with the primary's. For an output of shape
 * {@code [rows, classes]} (a classifier's scores) they agree when every row picks the
 * same top class, since two versions rarely match to the last digit; for any other
 * output, when every value is within 1e-4.
 */
final class Agreement {

	private Agreement() {
	}

	static boolean agree(JsonNode primary, JsonNode shadow) {
		JsonNode a = primary.path("outputs");
		JsonNode b = shadow.path("outputs");
		if (!a.isArray() || !b.isArray() || a.size() != b.size() || a.isEmpty()) {
			return false;
		}
		for (int i = 0; i < a.size(); i++) {
			if (!sameOutput(a.get(i), b.get(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean sameOutput(JsonNode a, JsonNode b) {
		if (!a.path("shape").equals(b.path("shape"))) {
			return false;
		}
		double[] x = flatten(a.path("data"));
		double[] y = flatten(b.path("data"));
		if (x.length != y.length) {
			return false;
		}
		JsonNode shape = a.path("shape");
		if (shape.size() == 2 && shape.get(1).asInt() > 1) {
			int columns = shape.get(1).asInt();
			for (int row = 0; row * columns < x.length; row++) {
				if (argmax(x, row, columns) != argmax(y, row, columns)) {
					return false;
				}
			}
			return true;
		}
		for (int i = 0; i < x.length; i++) {
			if (Math.abs(x[i] - y[i]) > 1e-4) {
				return false;
			}
		}
		return true;
	}

	private static int argmax(double[] values, int row, int columns) {
		int best = 0;
		for (int c = 1; c < columns; c++) {
			if (values[row * columns + c] > values[row * columns + best]) {
				best = c;
			}
		}
		return best;
	}

	private static double[] flatten(JsonNode data) {
		List<Double> values = new ArrayList<>();
		collect(data, values);
		return values.stream().mapToDouble(Double::doubleValue).toArray();
	}

	private static void collect(JsonNode node, List<Double> values) {
		if (node.isArray()) {
			node.forEach((child) -> collect(child, values));
		}
		else if (node.isNumber() || node.isBoolean()) {
			values.add(node.isBoolean() ? (node.asBoolean() ? 1.0 : 0.0) : node.asDouble());
		}
	}

}
