package io.servinglayer.controlplane.deployment;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a PUT would change: each field (as a dotted path such as
 * {@code canary.weightBasisPoints}) whose value differs, with its value before and after.
 * {@code before} is absent for a creation.
 */
record DeploymentChange(boolean dryRun, boolean creates, List<FieldChange> changes) {

	record FieldChange(String field, JsonNode before, JsonNode after) {
	}

	static DeploymentChange between(DeploymentSpec before, DeploymentSpec after, boolean dryRun, JsonMapper json) {
		Map<String, JsonNode> old = flatten((before != null) ? json.valueToTree(before) : null);
		Map<String, JsonNode> now = flatten(json.valueToTree(after));
		Set<String> fields = new LinkedHashSet<>(now.keySet());
		fields.addAll(old.keySet());
		List<FieldChange> changes = new ArrayList<>();
		for (String field : fields) {
			JsonNode was = old.get(field);
			JsonNode is = now.get(field);
			if (was == null || is == null || !was.equals(is)) {
				changes.add(new FieldChange(field, was, is));
			}
		}
		return new DeploymentChange(dryRun, before == null, changes);
	}

	private static Map<String, JsonNode> flatten(JsonNode node) {
		Map<String, JsonNode> fields = new LinkedHashMap<>();
		if (node != null) {
			flatten("", node, fields);
		}
		return fields;
	}

	private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> fields) {
		if (node.isObject()) {
			for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext();) {
				Map.Entry<String, JsonNode> entry = it.next();
				if (!entry.getValue().isNull()) {
					flatten(prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey(), entry.getValue(),
							fields);
				}
			}
		}
		else {
			fields.put(prefix, node);
		}
	}

}
