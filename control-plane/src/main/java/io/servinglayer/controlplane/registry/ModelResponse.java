package io.servinglayer.controlplane.registry;

import java.time.Instant;
import java.util.Map;

/**
 * A model as the admin API shows it. {@code latestVersion} is the highest version number
 * handed out so far (0 before the first upload).
 */
record ModelResponse(String name, String description, String owner, Map<String, String> tags, boolean archived,
		Instant archivedAt, int latestVersion, String createdBy, Instant createdAt, Instant updatedAt) {

	static ModelResponse of(Model model) {
		return new ModelResponse(model.name(), model.description(), model.owner(), model.tags(), model.archived(),
				model.archivedAt(), model.lastVersion(), model.createdBy(), model.createdAt(), model.updatedAt());
	}

}
