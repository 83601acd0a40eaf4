package io.servinglayer.gateway.modelcalls;

import io.servinglayer.gateway.routing.Endpoint;

/**
 * A model call's path as it came on the wire: {@code POST /v2/models/{model}/infer},
 * {@code /v2/models/{model}/versions/{version}/infer} or
 * {@code /v1/models/{model}:predict}.
 *
 * <p>
 * Only a plain path is one: each name made of unreserved characters ({@code A-Z a-z 0-9
 * - . _ ~}), not {@code .} or {@code ..}, nothing percent-encoded. Anything else (encoded
 * characters, dot segments, double slashes, a trailing slash) is left to the generic
 * chain, whose firewall and routes answer it as they always have: no deployment has such
 * a name, so the lean path would only repeat their answers.
 *
 * @param query the raw query, {@code null} when there is none
 * @param version the version as the path names it, {@code null} when it names none
 */
record ModelCallPath(Endpoint endpoint, String path, String query, String model, String version) {

	private static final String V2 = "/v2/models/";

	private static final String V1 = "/v1/models/";

	private static final String INFER = "/infer";

	private static final String VERSIONS = "/versions/";

	private static final String PREDICT = ":predict";

	/** The model call {@code uri} names, or {@code null} when it names none. */
	static ModelCallPath parse(String uri) {
		int mark = uri.indexOf('?');
		String path = (mark < 0) ? uri : uri.substring(0, mark);
		String query = (mark < 0 || mark == uri.length() - 1) ? null : uri.substring(mark + 1);
		if (path.startsWith(V2) && path.endsWith(INFER)) {
			int start = V2.length();
			int end = path.length() - INFER.length();
			int slash = path.indexOf('/', start);
			if (slash == end) {
				String model = name(path, start, end);
				return (model != null) ? new ModelCallPath(Endpoint.INFER, path, query, model, null) : null;
			}
			if (slash > start && path.startsWith(VERSIONS, slash)) {
				int versionStart = slash + VERSIONS.length();
				String model = name(path, start, slash);
				String version = name(path, versionStart, end);
				return (model != null && version != null)
						? new ModelCallPath(Endpoint.INFER_PINNED, path, query, model, version) : null;
			}
			return null;
		}
		if (path.startsWith(V1) && path.endsWith(PREDICT)) {
			String model = name(path, V1.length(), path.length() - PREDICT.length());
			return (model != null) ? new ModelCallPath(Endpoint.PREDICT_V1, path, query, model, null) : null;
		}
		return null;
	}

	/** The segment between {@code start} and {@code end} when it is a plain name. */
	private static String name(String path, int start, int end) {
		if (end <= start) {
			return null;
		}
		for (int i = start; i < end; i++) {
			char c = path.charAt(i);
			boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '.' || c == '_' || c == '~';
			if (!unreserved) {
				return null;
			}
		}
		String name = path.substring(start, end);
		return (name.equals(".") || name.equals("..")) ? null : name;
	}

}
