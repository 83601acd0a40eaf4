package io.servinglayer.controlplane.system;

import java.util.Iterator;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.jackson.JsonNodeDeserializer;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.module.SimpleModule;

/**
 * Refuses the NUL character (U+0000) in every string of a JSON body, names and values
 * alike, while the body is read: PostgreSQL stores no NUL in {@code text} or
 * {@code jsonb}, and would otherwise refuse it only when the change is written, as a
 * failure of ours. One Jackson module covers every body type, now and to come; the
 * refusal carries the JSON path, which {@link ApiExceptionHandler} names as the field.
 */
final class NulCharacters {

	static final String MESSAGE = "must not contain the NUL character (\\u0000)";

	private NulCharacters() {
	}

	static SimpleModule module() {
		SimpleModule module = new SimpleModule("servinglayer-no-nul-characters");
		module.addDeserializer(String.class, new Strings());
		module.addKeyDeserializer(String.class, new Keys());
		module.addDeserializer(JsonNode.class, new Trees());
		return module;
	}

	private static boolean hasNul(String value) {
		return value != null && value.indexOf(0) >= 0;
	}

	private static MismatchedInputException refusal(JsonParser parser) {
		return MismatchedInputException.from(parser, String.class, MESSAGE);
	}

	/** String values, wherever they are: properties, list items, map values. */
	private static final class Strings extends StringDeserializer {

		@Override
		public String deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
			String value = super.deserialize(parser, context);
			if (hasNul(value)) {
				throw refusal(parser);
			}
			return value;
		}

	}

	/** The keys of maps such as a model's tags. */
	private static final class Keys extends KeyDeserializer {

		@Override
		public Object deserializeKey(String key, DeserializationContext context) throws JacksonException {
			if (hasNul(key)) {
				throw refusal(context.getParser());
			}
			return key;
		}

	}

	/** Free-form JSON (a feature's default value…): every name and string in the tree. */
	private static final class Trees extends ValueDeserializer<JsonNode> {

		@SuppressWarnings("unchecked")
		private final ValueDeserializer<JsonNode> trees = (ValueDeserializer<JsonNode>) JsonNodeDeserializer
			.getDeserializer(JsonNode.class);

		@Override
		public JsonNode deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
			JsonNode tree = this.trees.deserialize(parser, context);
			if (tree != null && containsNul(tree)) {
				throw refusal(parser);
			}
			return tree;
		}

		/** {@code null} in the body is a JSON null, as without this module. */
		@Override
		public Object getNullValue(DeserializationContext context) {
			return this.trees.getNullValue(context);
		}

		/** A property left out is absent ({@code null}), as without this module. */
		@Override
		public Object getAbsentValue(DeserializationContext context) {
			return this.trees.getAbsentValue(context);
		}

		private static boolean containsNul(JsonNode node) {
			if (node.isString()) {
				return hasNul(node.stringValue());
			}
			if (node.isObject()) {
				Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
				while (fields.hasNext()) {
					Map.Entry<String, JsonNode> field = fields.next();
					if (hasNul(field.getKey()) || containsNul(field.getValue())) {
						return true;
					}
				}
				return false;
			}
			for (JsonNode element : node) {
				if (containsNul(element)) {
					return true;
				}
			}
			return false;
		}

	}

}
