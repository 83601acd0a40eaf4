package io.servinglayer.gateway.system;

import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * Whether the caller is still there. A request whose client closed its connection fails
 * with the same I/O errors as one whose instance did; it is the client's doing, so it is
 * answered 499 in the access log, never counted against the version's outcomes or the
 * instance's breaker.
 */
public final class ClientConnection {

	/** nginx's status for a request the client closed before the answer. */
	public static final int CLOSED_STATUS = 499;

	private ClientConnection() {
	}

	public static boolean closed(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		return nativeRequest instanceof Connection connection && !connection.channel().isActive();
	}

}
