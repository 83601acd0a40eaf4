package io.servinglayer.inferenceservice.tracing;

import java.util.regex.Pattern;

/**
 * A W3C {@code traceparent} header: {@code 00-<trace id>-<parent span id>-<flags>}.
 */
record TraceParent(String traceId, String spanId, boolean sampled) {

	private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

	private static final String INVALID_TRACE = "00000000000000000000000000000000";

	private static final String INVALID_SPAN = "0000000000000000";

	/** The header's trace, or {@code null} when it is absent or malformed. */
	static TraceParent parse(String header) {
		if (header == null || header.length() < 55 || !FORMAT.matcher(header.substring(0, 55)).matches()
				|| header.startsWith("ff")) {
			return null;
		}
		String traceId = header.substring(3, 35);
		String spanId = header.substring(36, 52);
		if (traceId.equals(INVALID_TRACE) || spanId.equals(INVALID_SPAN)) {
			return null;
		}
		return new TraceParent(traceId, spanId, (Integer.parseInt(header.substring(53, 55), 16) & 1) == 1);
	}

}
