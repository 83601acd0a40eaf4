package io.servinglayer.inferenceservice.features;

import io.servinglayer.contracts.RoutingSnapshot;

/**
 * What a feature view says to do with an entity whose row is missing or stale (the
 * control plane's {@code onMissing} / {@code onStale}; absent or unknown there, the
 * snapshot's defaults apply).
 */
public enum RowPolicy {

	REJECT, DEFAULTS, SERVE_STALE;

	static RowPolicy of(RoutingSnapshot.RowPolicy policy) {
		return switch (policy) {
			case REJECT -> REJECT;
			case DEFAULTS -> DEFAULTS;
			case SERVE_STALE -> SERVE_STALE;
		};
	}

}
