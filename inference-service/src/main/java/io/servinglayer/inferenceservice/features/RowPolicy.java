package io.servinglayer.inferenceservice.features;

/**
 * What a feature view says to do with an entity whose row is missing or stale (the
 * control plane's {@code onMissing} / {@code onStale}).
 */
public enum RowPolicy {

	REJECT, DEFAULTS, SERVE_STALE;

	static RowPolicy parse(String value, RowPolicy fallback) {
		return switch (value) {
			case "reject" -> REJECT;
			case "defaults" -> DEFAULTS;
			case "serve-stale" -> SERVE_STALE;
			default -> fallback;
		};
	}

}
