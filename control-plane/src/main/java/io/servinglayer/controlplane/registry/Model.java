package io.servinglayer.controlplane.registry;

import java.time.Instant;
import java.util.Map;

/** A registered model: a name under which numbered, immutable versions are uploaded. */
record Model(long id, String name, String description, String owner, Map<String, String> tags, Instant archivedAt,
		int lastVersion, long revision, String createdBy, Instant createdAt, Instant updatedAt) {

	boolean archived() {
		return this.archivedAt != null;
	}

	/** The value of the model's {@code ETag}. */
	String entityTag() {
		return Long.toString(this.revision);
	}

}
