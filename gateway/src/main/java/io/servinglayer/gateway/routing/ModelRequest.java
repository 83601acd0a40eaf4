package io.servinglayer.gateway.routing;

/**
 * What routing decided for one request, kept as an exchange attribute for balancing,
 * shadowing, outcomes and the access log.
 *
 * @param clientId the caller, or {@code null} when the path needs no token
 */
public record ModelRequest(Deployment deployment, int version, Endpoint endpoint, String clientId) {

	public static final String ATTRIBUTE = ModelRequest.class.getName();

	/**
	 * The exchange attribute naming the authenticated caller's client id, set by the
	 * access rules on the generic chain and read by rate limiting, routing and the access
	 * log.
	 */
	public static final String CLIENT_ID_ATTRIBUTE = "servinglayer.client-id";

	/** The answer's header naming the version that served it. */
	public static final String VERSION_HEADER = "X-Model-Version";

	public String instancePath() {
		return this.endpoint.instancePath(this.deployment.name(), this.version);
	}

}
