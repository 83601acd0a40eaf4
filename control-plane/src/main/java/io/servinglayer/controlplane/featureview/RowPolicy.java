package io.servinglayer.controlplane.featureview;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the inference service does with an entity whose online row is missing, or older
 * than the view's max age.
 */
public enum RowPolicy {

	/** Refuse the request with 422, naming the entity. */
	@JsonProperty("reject")
	REJECT("reject"),

	/** Fill every feature of the view with its declared default, and say so. */
	@JsonProperty("defaults")
	DEFAULTS("defaults"),

	/** Use the old values, and say so; for stale rows only. */
	@JsonProperty("serve-stale")
	SERVE_STALE("serve-stale");

	private final String value;

	RowPolicy(String value) {
		this.value = value;
	}

	/** The name in JSON and in the database. */
	public String value() {
		return this.value;
	}

	static RowPolicy of(String value) {
		for (RowPolicy policy : values()) {
			if (policy.value.equals(value)) {
				return policy;
			}
		}
		throw new IllegalArgumentException("Unknown row policy '" + value + "'");
	}

}
