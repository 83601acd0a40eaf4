package io.servinglayer.gateway.routing;

/** The client paths the gateway routes, each one route. */
public enum Endpoint {

	/** {@code GET /v2/models/{model}}: metadata of the version the caller would get. */
	METADATA("/v2/models/{model}"),

	/** {@code GET /v2/models/{model}/ready}. */
	READY("/v2/models/{model}/ready"),

	/** {@code POST /v2/models/{model}/infer}: the version the split picks. */
	INFER("/v2/models/{model}/infer"),

	/**
	 * {@code POST /v2/models/{model}/versions/{version}/infer}: a named version; needs
	 * the pinned scope.
	 */
	INFER_PINNED("/v2/models/{model}/versions/{version}/infer"),

	/** {@code POST /v1/models/{model}:predict}: named features and entity keys. */
	PREDICT_V1("/v1/models/{model}:predict");

	/** The route metadata key naming a route's endpoint. */
	public static final String METADATA_KEY = "servinglayer-endpoint";

	private final String path;

	private final String spanName;

	Endpoint(String path) {
		this.path = path;
		this.spanName = ((path.endsWith("/infer") || path.endsWith(":predict")) ? "POST " : "GET ") + path;
	}

	/** The name of a call's span: its method and path template, never the raw path. */
	public String spanName() {
		return this.spanName;
	}

	public String path() {
		return this.path;
	}

	/**
	 * The path on the inference instance: always the version-pinned form where the
	 * protocol has one, so every answer names the version it came from.
	 */
	public String instancePath(String deployment, int version) {
		String pinned = "/v2/models/" + deployment + "/versions/" + version;
		return switch (this) {
			case METADATA -> pinned;
			case READY -> pinned + "/ready";
			case INFER, INFER_PINNED -> pinned + "/infer";
			case PREDICT_V1 -> "/v1/models/" + deployment + "/versions/" + version + ":predict";
		};
	}

}
