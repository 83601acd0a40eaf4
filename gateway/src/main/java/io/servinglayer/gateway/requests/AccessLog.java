package io.servinglayer.gateway.requests;

import java.util.concurrent.atomic.AtomicBoolean;

import io.servinglayer.gateway.system.FilterOrder;
import io.servinglayer.gateway.balancing.InstanceForwarding;
import io.servinglayer.gateway.routing.ModelRequest;
import ch.qos.logback.classic.LoggerContext;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.beans.factory.DisposableBean;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * One JSON line per request on the {@code servinglayer.access} logger: who called what,
 * which version and instance answered, the status and the time to the answer's headers.
 * Never a header value, a token, a query string or a body. Written when the answer is
 * committed, so answers made by the error handler carry their real status; a request the
 * client gave up on is logged as status 499.
 */
public class AccessLog implements WebFilter, Ordered, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger("servinglayer.access");

	/** The background writer, {@code null} where logging is not Logback. */
	private final AccessLineWriter writer;

	public AccessLog(AccessLogSettings settings) {
		this.writer = (LoggerFactory.getILoggerFactory() instanceof LoggerContext context)
				? new AccessLineWriter(context, logger.getName(), settings) : null;
	}

	/**
	 * The most lines waiting for the background writer, or 0 where lines are written in
	 * place (logging is not Logback).
	 */
	public int backlog() {
		return (this.writer != null) ? this.writer.backlog() : 0;
	}

	/** Writes out the backlog while the log's appenders still run, then logs in place. */
	@Override
	public void destroy() {
		if (this.writer != null) {
			this.writer.close();
		}
	}

	@Override
	public int getOrder() {
		return FilterOrder.ACCESS_LOG;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!logger.isInfoEnabled()) {
			return chain.filter(exchange);
		}
		long started = System.nanoTime();
		AtomicBoolean logged = new AtomicBoolean();
		exchange.getResponse().beforeCommit(() -> {
			if (logged.compareAndSet(false, true)) {
				HttpStatusCode status = exchange.getResponse().getStatusCode();
				log(exchange, (status != null) ? status.value() : 200, started);
			}
			return Mono.empty();
		});
		return chain.filter(exchange).doFinally((signal) -> {
			if (signal == SignalType.CANCEL && logged.compareAndSet(false, true)) {
				log(exchange, 499, started);
			}
		});
	}

	private void log(ServerWebExchange exchange, int status, long started) {
		ModelRequest request = exchange.getAttribute(ModelRequest.ATTRIBUTE);
		log(exchange.getAttribute(RequestIdentity.REQUEST_ID_ATTRIBUTE), exchange.getRequest().getMethod().name(),
				exchange.getRequest().getPath().value(), status, started,
				exchange.getAttribute(ModelRequest.CLIENT_ID_ATTRIBUTE), request,
				exchange.getAttribute(InstanceForwarding.INSTANCE_ATTRIBUTE), traceId(exchange));
	}

	/**
	 * The trace of the request's observation (Micrometer Tracing's span of the server
	 * exchange), {@code null} when tracing is off.
	 */
	private static String traceId(ServerWebExchange exchange) {
		TracingObservationHandler.TracingContext tracing = ServerRequestObservationContext
			.findCurrent(exchange.getAttributes())
			.map((context) -> context.<TracingObservationHandler.TracingContext>get(
					TracingObservationHandler.TracingContext.class))
			.orElse(null);
		if (tracing == null || tracing.getSpan() == null) {
			return null;
		}
		String traceId = tracing.getSpan().context().traceId();
		return traceId.isEmpty() ? null : traceId;
	}

	/**
	 * Writes the line of one request.
	 * @param startedNanos {@link System#nanoTime()} when the request came in
	 * @param request what routing decided, {@code null} when it did not get that far
	 * @param traceId the request's trace, {@code null} when tracing is off
	 */
	public void log(String requestId, String method, String path, int status, long startedNanos, String clientId,
			ModelRequest request, String instance, String traceId) {
		if (!logger.isInfoEnabled()) {
			return;
		}
		// Written by hand rather than through a map and the JSON mapper: one line per
		// request on the event loop (BENCHMARKS.md, "Gateway fast path").
		StringBuilder line = new StringBuilder(256);
		line.append("{\"requestId\":");
		string(line, requestId);
		line.append(",\"method\":");
		string(line, method);
		line.append(",\"path\":");
		string(line, path);
		line.append(",\"status\":").append(status);
		line.append(",\"durationMs\":").append((System.nanoTime() - startedNanos) / 1_000_000.0);
		line.append(",\"clientId\":");
		string(line, clientId);
		if (request != null) {
			line.append(",\"model\":");
			string(line, request.deployment().name());
			line.append(",\"version\":").append(request.version());
		}
		line.append(",\"instance\":");
		string(line, instance);
		line.append(",\"traceId\":");
		string(line, traceId);
		line.append('}');
		if (this.writer != null) {
			this.writer.write(line.toString());
		}
		else {
			logger.info(line.toString());
		}
	}

	/** A JSON string, or {@code null}, escaped as RFC 8259 asks. */
	static void string(StringBuilder line, String value) {
		if (value == null) {
			line.append("null");
			return;
		}
		line.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				line.append('\\').append(c);
			}
			else if (c < 0x20) {
				line.append(String.format("\\u%04x", (int) c));
			}
			else {
				line.append(c);
			}
		}
		line.append('"');
	}

}
