package io.servinglayer.gateway.tracing;

import io.netty.handler.codec.http.HttpHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * The spans of the lean model-call path, which runs ahead of WebFlux and so outside the
 * observations Spring Boot gives the generic chain. The same OpenTelemetry SDK and
 * sampler as Micrometer Tracing's: a call continues the caller's trace, or starts one,
 * and the instance's spans are children of the gateway's.
 *
 * <p>
 * Propagation here is W3C trace context alone ({@code traceparent}, {@code tracestate}),
 * not Boot's composite of W3C, B3 and baggage: in the profile of a model call the
 * composite's extract and inject were some 2.5 % of the gateway's CPU, W3C's alone a
 * fifth of that (BENCHMARKS.md, session 8).
 */
public final class CallSpans {

	private static final TextMapGetter<HttpHeaders> FROM_HEADERS = new TextMapGetter<>() {

		@Override
		public Iterable<String> keys(HttpHeaders headers) {
			return headers.names();
		}

		@Override
		public String get(HttpHeaders headers, String name) {
			return (headers != null) ? headers.get(name) : null;
		}

	};

	private static final TextMapSetter<HttpHeaders> TO_HEADERS = (headers, name, value) -> {
		if (headers != null) {
			headers.set(name, value);
		}
	};

	private final Tracer tracer;

	private final TextMapPropagator propagator;

	public CallSpans(OpenTelemetry openTelemetry) {
		this.tracer = openTelemetry.getTracer("io.servinglayer.gateway");
		this.propagator = W3CTraceContextPropagator.getInstance();
	}

	/**
	 * Starts the server span of a call, a child of the caller's trace context when its
	 * headers carry a valid one.
	 * @param name a low-cardinality name: the route's template, never the raw path
	 */
	public Span start(String name, HttpHeaders incoming) {
		Context parent = this.propagator.extract(Context.root(), incoming, FROM_HEADERS);
		return this.tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.SERVER).startSpan();
	}

	/** Writes {@code span}'s context into the headers of a call it makes. */
	public void propagate(Span span, HttpHeaders outgoing) {
		this.propagator.inject(Context.root().with(span), outgoing, TO_HEADERS);
	}

}
