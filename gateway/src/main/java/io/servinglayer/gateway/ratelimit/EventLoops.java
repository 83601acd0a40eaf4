package io.servinglayer.gateway.ratelimit;

import io.netty.channel.EventLoop;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * The scheduler of the event loop that serves a request's connection: work resumed there
 * after an asynchronous call (Redis) needs no further thread hop to write the answer, and
 * never runs on the thread of the client that answered.
 */
final class EventLoops {

	private EventLoops() {
	}

	static Scheduler of(ServerWebExchange exchange) {
		Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
		if (request instanceof Connection connection) {
			EventLoop loop = connection.channel().eventLoop();
			return Schedulers.fromExecutor(loop);
		}
		return Schedulers.parallel();
	}

}
