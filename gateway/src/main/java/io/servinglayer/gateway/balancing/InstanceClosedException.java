package io.servinglayer.gateway.balancing;

import java.io.IOException;

/**
 * The instance closed the connection before its whole answer: {@link UpstreamFailure}
 * reads it, as any broken connection, as the instance's failure.
 */
final class InstanceClosedException extends IOException {

	InstanceClosedException() {
		super("the instance closed the connection before its whole answer", null);
	}

	@Override
	public synchronized Throwable fillInStackTrace() {
		// Where it was noticed says nothing: always the connection's close.
		return this;
	}

}
