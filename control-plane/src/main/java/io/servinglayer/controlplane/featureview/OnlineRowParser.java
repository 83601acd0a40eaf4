package io.servinglayer.controlplane.featureview;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.servinglayer.contracts.OnlineFeatureRow;
import io.servinglayer.controlplane.system.Violations;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads JSON lines of feature rows for one view version: each line is a flat object with
 * every entity key, every feature of the view and {@code event_time} (an ISO-8601
 * instant, or epoch milliseconds). All lines are checked before anything is written, and
 * every broken line is reported, so a bad file changes nothing.
 */
final class OnlineRowParser {

	static final String EVENT_TIME = "event_time";

	/** Errors listed in one answer; a file with more is broken anyway. */
	private static final int MAX_ERRORS = 50;

	private final JsonMapper json;

	private final int maxRows;

	OnlineRowParser(JsonMapper json, int maxRows) {
		this.json = json;
		this.maxRows = maxRows;
	}

	List<OnlineRow> parse(FeatureView view, String body) {
		Violations violations = new Violations();
		List<OnlineRow> rows = new ArrayList<>();
		String[] lines = body.split("\r?\n");
		int index = 0;
		int errors = 0;
		for (int line = 1; line <= lines.length && errors < MAX_ERRORS; line++) {
			String text = lines[line - 1].strip();
			if (text.isEmpty()) {
				continue;
			}
			if (index >= this.maxRows) {
				violations.add("rows", "at most " + this.maxRows + " rows per request; split the file");
				break;
			}
			Violations own = new Violations();
			OnlineRow row = parseLine(view, text, "rows[" + index + "] (line " + line + ")", own);
			own.errors().forEach((error) -> violations.add(error.field(), error.message()));
			errors += own.errors().size();
			if (row != null) {
				rows.add(row);
			}
			index++;
		}
		if (index == 0 && violations.isEmpty()) {
			violations.add("rows", "the body holds no rows: send one JSON object per line");
		}
		violations.throwIfAny();
		return rows;
	}

	private OnlineRow parseLine(FeatureView view, String text, String field, Violations violations) {
		JsonNode node;
		try {
			node = this.json.readTree(text);
		}
		catch (JacksonException ex) {
			violations.add(field, "is not a JSON object: " + ex.getOriginalMessage());
			return null;
		}
		if (node == null || !node.isObject()) {
			violations.add(field, "must be a JSON object");
			return null;
		}
		Set<String> known = new HashSet<>(view.entityKeys());
		known.add(EVENT_TIME);
		List<String> entity = new ArrayList<>();
		for (String key : view.entityKeys()) {
			JsonNode value = node.get(key);
			if (value != null && value.isString() && !value.stringValue().isEmpty() && (view.entityKeys().size() == 1
					|| !value.stringValue().contains(OnlineFeatureRow.ENTITY_SEPARATOR))) {
				entity.add(value.stringValue());
			}
			else if (value != null && value.isIntegralNumber()) {
				entity.add(value.asString());
			}
			else {
				violations.add(field + "." + key, "must be the entity key: a non-empty string or a whole number"
						+ ((view.entityKeys().size() > 1) ? " without '|'" : ""));
			}
		}
		Long eventTime = eventTime(node.get(EVENT_TIME));
		if (eventTime == null) {
			violations.add(field + "." + EVENT_TIME,
					"must say when the values were true: an ISO-8601 instant such as \"2026-11-29T10:15:30Z\", or epoch milliseconds");
		}
		Map<String, String> values = new LinkedHashMap<>();
		for (FeatureSpec feature : view.features()) {
			known.add(feature.name());
			JsonNode value = node.get(feature.name());
			String encoded = FeatureValues.encode(feature.dtype(), value);
			if (encoded == null) {
				violations.add(field + "." + feature.name(), ((value == null) ? "is missing: " : "") + "must be "
						+ FeatureValues.expected(feature.dtype()) + " (" + feature.dtype() + ")");
			}
			else {
				values.put(feature.name(), encoded);
			}
		}
		for (String name : node.propertyNames()) {
			if (!known.contains(name)) {
				violations.add(field + "." + name,
						"is not an entity key or feature of " + view.name() + " version " + view.version()
								+ "; its features are " + view.features().stream().map(FeatureSpec::name).toList());
			}
		}
		if (!violations.isEmpty()) {
			return null;
		}
		return new OnlineRow(OnlineFeatureRow.entity(entity), eventTime, values);
	}

	private static Long eventTime(JsonNode value) {
		if (value == null) {
			return null;
		}
		if (value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0) {
			return value.longValue();
		}
		if (value.isString()) {
			try {
				return Instant.parse(value.stringValue()).toEpochMilli();
			}
			catch (DateTimeParseException ex) {
				return null;
			}
		}
		return null;
	}

}
