package io.servinglayer.controlplane.registry;

import java.util.Map;
import java.util.regex.Pattern;

import io.servinglayer.controlplane.system.Violations;

/** The body of {@code POST /api/v1/models}. */
record CreateModelRequest(String name, String description, String owner, Map<String, String> tags) {

	/**
	 * Like a DNS label, so a model name can appear in URLs, metric labels and Kubernetes
	 * names as is.
	 */
	static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

	void validate() {
		new Violations().require(this.name != null && NAME.matcher(this.name).matches(), "name",
				"must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit")
			.maxLength(this.description, 4096, "description")
			.maxLength(this.owner, 256, "owner")
			.keyValues(this.tags, "tags")
			.throwIfAny();
	}

}
