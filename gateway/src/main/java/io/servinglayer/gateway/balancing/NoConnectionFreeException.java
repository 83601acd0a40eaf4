package io.servinglayer.gateway.balancing;

/**
 * No connection to an instance came free for a call in time, or too many calls wait for
 * one already: the gateway's own bound, read by {@link UpstreamFailure} as
 * {@link UpstreamFailure#GATEWAY_OVERLOADED}, never as the instance's failure.
 */
final class NoConnectionFreeException extends RuntimeException {

	private NoConnectionFreeException(String message) {
		super(message, null, false, false);
	}

	static NoConnectionFreeException waited(InstanceConnections.Origin origin, long waitedMillis) {
		return new NoConnectionFreeException(
				"no connection to " + origin.authority() + " came free within " + waitedMillis + " ms");
	}

	static NoConnectionFreeException queueFull(InstanceConnections.Origin origin, int maxConnections) {
		return new NoConnectionFreeException("all " + maxConnections + " connections to " + origin.authority()
				+ " are busy and the calls waiting for one are at their limit");
	}

}
