package io.servinglayer.inferenceservice.protocol;

import java.util.Arrays;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The {@code data} of a protocol input, read straight from the parser into flat primitive
 * columns in row-major order: nested arrays are flattened as they stream by, and no JSON
 * tree is built. The input's datatype and shape are often sent after its data, so each
 * element keeps its JSON kind and the nesting keeps its lengths per level, and
 * {@link TensorCodec} converts (and checks) both once the datatype and shape are known.
 */
@JsonDeserialize(using = TensorData.Reader.class)
public final class TensorData {

	static final byte INTEGER = 0;

	static final byte DECIMAL = 1;

	static final byte TRUE = 2;

	static final byte FALSE = 3;

	static final byte STRING = 4;

	/** A whole number beyond 64 bits, an object, or null: fits no datatype. */
	static final byte OTHER = 5;

	private byte[] kinds = new byte[64];

	private long[] integers = new long[64];

	private double[] decimals = new double[64];

	private String[] texts;

	private int size;

	/** The length of the arrays at each nesting level, as first seen; -1 when not yet. */
	private int[] levels = { -1, -1, -1, -1 };

	/** How many levels of arrays there are. */
	private int depth;

	/** The level the elements were found at; -1 before the first. */
	private int elementLevel = -1;

	/**
	 * Whether arrays of one level differ in length, or elements sit at different levels:
	 * data that is no tensor, whatever its element count.
	 */
	private boolean ragged;

	int size() {
		return this.size;
	}

	/**
	 * The lengths of the nested arrays level by level (the outermost first), or
	 * {@code null} when the nesting is ragged; for flat data, one level of {@link #size}.
	 */
	long[] nesting() {
		if (this.ragged || (this.elementLevel >= 0 && this.elementLevel != this.depth)) {
			return null;
		}
		long[] nesting = new long[this.depth];
		for (int level = 0; level < this.depth; level++) {
			nesting[level] = this.levels[level];
		}
		return nesting;
	}

	byte kind(int index) {
		return this.kinds[index];
	}

	long integer(int index) {
		return this.integers[index];
	}

	/** The element as a number: INTEGER or DECIMAL elements only. */
	double number(int index) {
		return (this.kinds[index] == INTEGER) ? this.integers[index] : this.decimals[index];
	}

	String text(int index) {
		return (this.texts != null) ? this.texts[index] : null;
	}

	/** The element as JSON, for error messages. */
	String describe(int index) {
		return switch (this.kinds[index]) {
			case INTEGER -> Long.toString(this.integers[index]);
			case DECIMAL -> Double.toString(this.decimals[index]);
			case TRUE -> "true";
			case FALSE -> "false";
			case STRING -> "\"" + this.texts[index] + "\"";
			default -> String.valueOf(this.texts[index]);
		};
	}

	private int next(byte kind) {
		if (this.size == this.kinds.length) {
			int capacity = this.size * 2;
			this.kinds = Arrays.copyOf(this.kinds, capacity);
			this.integers = Arrays.copyOf(this.integers, capacity);
			this.decimals = Arrays.copyOf(this.decimals, capacity);
			if (this.texts != null) {
				this.texts = Arrays.copyOf(this.texts, capacity);
			}
		}
		this.kinds[this.size] = kind;
		return this.size++;
	}

	private void text(int index, String text) {
		if (this.texts == null) {
			this.texts = new String[this.kinds.length];
		}
		this.texts[index] = text;
	}

	private void read(JsonParser parser, long maxElements, int level) {
		JsonToken token = parser.currentToken();
		if (token == JsonToken.START_ARRAY) {
			int length = 0;
			while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
				read(parser, maxElements, level + 1);
				length++;
			}
			array(level, length);
			return;
		}
		if (this.elementLevel < 0) {
			this.elementLevel = level;
		}
		else if (this.elementLevel != level) {
			this.ragged = true;
		}
		if (this.size >= maxElements) {
			throw new InvalidInferenceRequestException("data", "holds more than " + maxElements + " elements; at most "
					+ maxElements + " are accepted in one input");
		}
		switch (token) {
			case VALUE_NUMBER_INT -> {
				if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
					text(next(OTHER), parser.getString());
				}
				else {
					// Grow first: the array is read before the index is evaluated.
					int index = next(INTEGER);
					this.integers[index] = parser.getLongValue();
				}
			}
			case VALUE_NUMBER_FLOAT -> {
				int index = next(DECIMAL);
				this.decimals[index] = parser.getDoubleValue();
			}
			case VALUE_TRUE -> next(TRUE);
			case VALUE_FALSE -> next(FALSE);
			case VALUE_STRING -> text(next(STRING), parser.getString());
			case START_OBJECT -> {
				parser.skipChildren();
				text(next(OTHER), "{…}");
			}
			default -> text(next(OTHER), "null");
		}
	}

	/** Notes the length of an array at a nesting level (0 is {@code data} itself). */
	private void array(int level, int length) {
		if (level >= this.levels.length) {
			int old = this.levels.length;
			this.levels = Arrays.copyOf(this.levels, Math.max(level + 1, old * 2));
			Arrays.fill(this.levels, old, this.levels.length, -1);
		}
		if (this.levels[level] < 0) {
			this.levels[level] = length;
			this.depth = Math.max(this.depth, level + 1);
		}
		else if (this.levels[level] != length) {
			this.ragged = true;
		}
	}

	/**
	 * Reads {@code data} as it streams; a body past the element bound is refused early.
	 */
	static final class Reader extends ValueDeserializer<TensorData> {

		@Override
		public TensorData deserialize(JsonParser parser, DeserializationContext context) {
			TensorData data = new TensorData();
			data.read(parser, TensorCodec.MAX_ELEMENTS, 0);
			return data;
		}

		@Override
		public TensorData getNullValue(DeserializationContext context) {
			return null;
		}

	}

}
