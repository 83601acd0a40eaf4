package io.servinglayer.inferenceservice.tracing;

import java.util.Collections;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.common.Clock;
import io.servinglayer.inferenceservice.batching.BatchTimes;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The spans a request's own span gets as children: the wait in the batcher's queue, the
 * run of its batch in ONNX Runtime, and the read of its online features. The request's
 * span is the server observation's (Micrometer Tracing on OpenTelemetry, continuing the
 * gateway's {@code traceparent}); where that one does not record (not sampled, tracing
 * off) nothing here is made.
 */
public final class RequestSpans {

	private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

	private static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey("servinglayer.deployment");

	private static final AttributeKey<Long> VERSION = AttributeKey.longKey("servinglayer.model_version");

	private static final AttributeKey<Long> BATCH_ROWS = AttributeKey.longKey("servinglayer.batch_rows");

	private static final AttributeKey<String> FEATURE_VIEW = AttributeKey.stringKey("servinglayer.feature_view");

	private static final AttributeKey<Long> ENTITIES = AttributeKey.longKey("servinglayer.entities");

	private static final AttributeKey<Long> CACHE_HITS = AttributeKey.longKey("servinglayer.cache_hits");

	private static final TextMapGetter<HttpServletRequest> FROM_REQUEST = new TextMapGetter<>() {

		@Override
		public Iterable<String> keys(HttpServletRequest request) {
			return Collections.list(request.getHeaderNames());
		}

		@Override
		public String get(HttpServletRequest request, String name) {
			return (request != null) ? request.getHeader(name) : null;
		}

	};

	private final Tracer tracer;

	private final TextMapPropagator propagator;

	private final Clock clock = Clock.getDefault();

	public RequestSpans(OpenTelemetry openTelemetry) {
		this.tracer = openTelemetry.getTracer("io.servinglayer.inference");
		// W3C trace context alone, as the gateway sends it: Boot's composite (W3C, B3,
		// baggage) costs several times as much per call.
		this.propagator = W3CTraceContextPropagator.getInstance();
	}

	/**
	 * Starts the server span of a model call, a child of the caller's trace (the
	 * gateway's span) when the request carries one. Model calls skip the generic HTTP
	 * observation (they are timed by {@code inference_requests_seconds} alone), so their
	 * span is made here; the caller makes a sampled one current while the call runs,
	 * which gives it its children and puts its trace on the latency histograms as an
	 * exemplar.
	 * @param name a low-cardinality name: method and path template
	 */
	public Span startServer(String name, HttpServletRequest request) {
		Context parent = this.propagator.extract(Context.root(), request, FROM_REQUEST);
		return this.tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.SERVER).startSpan();
	}

	/** Ends a server span with the answer's status. */
	public void endServer(Span span, int status) {
		if (span.isRecording()) {
			span.setAttribute(STATUS, (long) status);
			if (status >= 500) {
				span.setStatus(StatusCode.ERROR);
			}
		}
		span.end();
	}

	/**
	 * Whether the request on this thread is traced, so its batch times are worth noting.
	 */
	public boolean recording() {
		return Span.current().isRecording();
	}

	/**
	 * The request's wait in the queue and its batch's run, from what the batcher noted.
	 */
	public void batch(String deployment, int version, BatchTimes times, boolean failed) {
		Span parent = Span.current();
		if (times == null || !times.ran() || !parent.isRecording()) {
			return;
		}
		long offset = this.clock.now() - System.nanoTime();
		if (times.startedNanos() > times.enqueuedNanos()) {
			this.tracer.spanBuilder("batch wait")
				.setStartTimestamp(offset + times.enqueuedNanos(), TimeUnit.NANOSECONDS)
				.setAttribute(DEPLOYMENT, deployment)
				.setAttribute(VERSION, (long) version)
				.startSpan()
				.end(offset + times.startedNanos(), TimeUnit.NANOSECONDS);
		}
		Span run = this.tracer.spanBuilder("model execution")
			.setStartTimestamp(offset + times.startedNanos(), TimeUnit.NANOSECONDS)
			.setAttribute(DEPLOYMENT, deployment)
			.setAttribute(VERSION, (long) version)
			.setAttribute(BATCH_ROWS, (long) times.batchRows())
			.startSpan();
		if (failed) {
			run.setStatus(StatusCode.ERROR);
		}
		run.end(offset + times.endedNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Starts the span of an online-feature read; the caller ends it. A no-op span when
	 * the request is not traced.
	 */
	public Span featureRead(String view, int entities, int cacheHits) {
		if (!Span.current().isRecording()) {
			return Span.getInvalid();
		}
		return this.tracer.spanBuilder("online features read")
			.setAttribute(FEATURE_VIEW, view)
			.setAttribute(ENTITIES, (long) entities)
			.setAttribute(CACHE_HITS, (long) cacheHits)
			.startSpan();
	}

}
