package io.servinglayer.inferenceservice.features;

import java.time.Instant;
import java.util.Map;

/**
 * An entity's row as the online store holds it: each feature's text, and when the values
 * were true. {@link #ABSENT} stands for "no row".
 */
public record StoredRow(Map<String, String> values, Instant eventTime) {

	public static final StoredRow ABSENT = new StoredRow(Map.of(), null);

	public boolean present() {
		return this.eventTime != null;
	}

}
