package io.servinglayer.controlplane.signature;

import java.util.List;

/**
 * One input or output of a model: its name, element type and shape. A dimension the model
 * leaves open is {@code -1} in {@code shape}; when the model names it (a symbolic
 * dimension such as {@code batch}), {@code dimensionNames} holds that name at the same
 * index, else {@code null}.
 */
public record TensorSpec(String name, DataType datatype, List<Long> shape, List<String> dimensionNames) {

	public int rank() {
		return this.shape.size();
	}

}
