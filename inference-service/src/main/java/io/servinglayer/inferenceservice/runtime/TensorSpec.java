package io.servinglayer.inferenceservice.runtime;

import java.util.Arrays;

/**
 * A model input or output: name, element type and shape, with {@code -1} for a free
 * dimension.
 */
public record TensorSpec(String name, DataType datatype, long[] shape) {

	public int rank() {
		return this.shape.length;
	}

	/**
	 * Whether the first dimension is free, so requests can be stacked along it into one
	 * batch.
	 */
	public boolean batchable() {
		return this.shape.length > 0 && this.shape[0] < 0;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof TensorSpec spec && spec.name.equals(this.name) && spec.datatype == this.datatype
				&& Arrays.equals(spec.shape, this.shape);
	}

	@Override
	public int hashCode() {
		return this.name.hashCode() * 31 + Arrays.hashCode(this.shape);
	}

	@Override
	public String toString() {
		return this.name + " " + this.datatype + " " + Arrays.toString(this.shape);
	}

}
