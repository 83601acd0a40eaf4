package io.servinglayer.inferenceservice.runtime;

import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * A tensor as the engine passes it around: element type, shape, and the elements in
 * row-major order in a flat primitive array ({@code boolean[]}, {@code int[]},
 * {@code long[]}, {@code float[]}, {@code double[]}) or {@code String[]} for BYTES. Flat
 * arrays keep conversion cheap and let batching stack requests by concatenating them.
 */
public record Tensor(DataType datatype, long[] shape, Object data) {

	public Tensor {
		long count = elementCount(shape);
		if (Array.getLength(data) != count) {
			throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
					+ " elements, data has " + Array.getLength(data));
		}
	}

	/**
	 * The number of elements a shape holds.
	 * @throws ArithmeticException when the product overflows 64 bits
	 */
	public static long elementCount(long[] shape) {
		long count = 1;
		for (long dimension : shape) {
			count = Math.multiplyExact(count, dimension);
		}
		return count;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Tensor tensor && tensor.datatype == this.datatype
				&& Arrays.equals(tensor.shape, this.shape)
				&& Arrays.deepEquals(new Object[] { tensor.data }, new Object[] { this.data });
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.shape) * 31 + this.datatype.hashCode();
	}

	@Override
	public String toString() {
		return this.datatype + Arrays.toString(this.shape);
	}

}
