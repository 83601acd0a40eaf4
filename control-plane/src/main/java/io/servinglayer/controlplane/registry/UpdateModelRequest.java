package io.servinglayer.controlplane.registry;

import java.util.Map;

import io.servinglayer.controlplane.system.Violations;

/**
 * The body of {@code PATCH /api/v1/models/{model}}: a JSON merge patch of the editable
 * fields. A field left out keeps its value; {@code tags} replaces the whole map.
 */
record UpdateModelRequest(String description, String owner, Map<String, String> tags) {

	void validate() {
		new Violations().maxLength(this.description, 4096, "description")
			.maxLength(this.owner, 256, "owner")
			.keyValues(this.tags, "tags")
			.throwIfAny();
	}

}
