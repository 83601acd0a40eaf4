package io.servinglayer.contracts;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON settings a {@link RoutingSnapshot} is read and written with, for services that
 * do not get them from Spring: members a reader does not know are ignored (a newer
 * control plane may add some), a member it knows but the document lacks takes the
 * record's default, and instants are ISO-8601 text, as the control plane writes them.
 */
public final class SnapshotJson {

	private SnapshotJson() {
	}

	/** A mapper with these settings; thread-safe, so build one per reader and keep it. */
	public static JsonMapper mapper() {
		return configure(JsonMapper.builder()).build();
	}

	/** These settings applied to a builder the caller may configure further. */
	public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
		return builder.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS);
	}

	/**
	 * The snapshot in {@code json}.
	 * @throws tools.jackson.core.JacksonException when it is not JSON, or not a snapshot
	 * (no revision)
	 */
	public static RoutingSnapshot read(JsonMapper mapper, byte[] json) {
		return mapper.readValue(json, RoutingSnapshot.class);
	}

}
