package io.servinglayer.gateway.modelcalls;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.servinglayer.gateway.access.ModelCallAccess;
import io.servinglayer.gateway.balancing.InstanceAnswer;
import io.servinglayer.gateway.balancing.InstanceCalls;
import io.servinglayer.gateway.balancing.UpstreamTimeoutException;
import io.servinglayer.gateway.outcomes.Outcome;
import io.servinglayer.gateway.outcomes.OutcomeRecorder;
import io.servinglayer.gateway.ratelimit.RateLimitDecision;
import io.servinglayer.gateway.ratelimit.RateLimitExceededException;
import io.servinglayer.gateway.ratelimit.RateLimiter;
import io.servinglayer.gateway.routing.RatePlan;
import io.servinglayer.gateway.requests.AccessLog;
import io.servinglayer.gateway.requests.Http10KeepAlive;
import io.servinglayer.gateway.requests.RequestHeaderLimit;
import io.servinglayer.gateway.requests.RequestHeadersTooLargeException;
import io.servinglayer.gateway.requests.RequestIdentity;
import io.servinglayer.gateway.requests.RequestSettings;
import io.servinglayer.gateway.requests.RequestTooLargeException;
import io.servinglayer.gateway.routing.Endpoint;
import io.servinglayer.gateway.routing.ModelRequest;
import io.servinglayer.gateway.routing.Routing;
import io.servinglayer.gateway.routing.RoutingTable;
import io.servinglayer.gateway.routing.VersionRouting;
import io.servinglayer.gateway.shadow.ShadowCopies;
import io.servinglayer.gateway.system.GatewayOverloadedException;
import io.servinglayer.gateway.system.GatewayProblem;
import io.servinglayer.gateway.system.ProblemWriter;
import io.servinglayer.gateway.tracing.CallSpans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ByteBufFlux;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The lean path of a model call ({@code infer}, {@code :predict}, pinned versions), on
 * the gateway's own server, port and TLS, ahead of WebFlux and Spring Cloud Gateway. In
 * order, without a thread hop unless a step must wait for another machine (a token not
 * verified yet, a rate-limit lease from Redis): the request id, the header and body
 * limits, the bearer token from the verified-token memory and the scope, the body read
 * once, the rate-limit decision, the version (sticky split, cold-canary fallback), the
 * instance (breakers, least outstanding) and the forward of the body as it arrived, the
 * answer streamed back with the gateway's headers, then the outcome and the access line
 * recorded in memory. Every answer is the one the generic chain gave before this path
 * existed: the same statuses, problem documents and headers.
 */
final class ModelCallHandler implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

	private static final Logger logger = LoggerFactory.getLogger(ModelCallHandler.class);

	/** Headers of one hop only (RFC 9110, 7.6.1), never passed on either way. */
	private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-connection",
			"transfer-encoding", "te", "trailer", "upgrade", "proxy-authenticate", "proxy-authorization");

	/**
	 * Request headers the instance never gets from the caller: its credentials, what this
	 * hop sets itself, and the names the server's HTTP/2 codec gives pseudo-headers.
	 */
	private static final List<String> NOT_FORWARDED = List.of("authorization", "cookie", "host", "content-length",
			"x-request-id", "traceparent", "expect", "x-http2-stream-id", "x-http2-scheme", "x-http2-path",
			"x-http2-stream-promise-id", "x-http2-stream-dependency-id", "x-http2-stream-weight");

	/** The request headers the instance never gets, matched as HTTP matches names. */
	private static final HttpHeaders NOT_PASSED_UPSTREAM = names(HOP_BY_HOP, NOT_FORWARDED);

	/** The instance's headers the client never gets. */
	private static final HttpHeaders NOT_PASSED_BACK = names(HOP_BY_HOP);

	private final ModelCallAccess access;

	private final RateLimiter limiter;

	private final Routing routing;

	private final VersionRouting versions;

	private final InstanceCalls calls;

	private final ShadowCopies shadows;

	private final OutcomeRecorder outcomes;

	private final AccessLog accessLog;

	private final ProblemWriter problems;

	private final RequestSettings settings;

	private final CallSpans spans;

	/** Bytes of bodies being read or held right now, over all calls. */
	private final AtomicLong buffered = new AtomicLong();

	ModelCallHandler(ModelCallAccess access, RateLimiter limiter, Routing routing, VersionRouting versions,
			InstanceCalls calls, ShadowCopies shadows, OutcomeRecorder outcomes, AccessLog accessLog,
			ProblemWriter problems, RequestSettings settings, CallSpans spans) {
		this.access = access;
		this.limiter = limiter;
		this.routing = routing;
		this.versions = versions;
		this.calls = calls;
		this.shadows = shadows;
		this.outcomes = outcomes;
		this.accessLog = accessLog;
		this.problems = problems;
		this.settings = settings;
		this.spans = spans;
	}

	/** Whether the lean path takes this request. */
	static boolean takes(HttpServerRequest request) {
		return request.method() == HttpMethod.POST && ModelCallPath.parse(request.uri()) != null;
	}

	@Override
	public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
		return new Call(request, response, ModelCallPath.parse(request.uri())).run();
	}

	/** One model call, from its first byte to its access line. */
	private final class Call {

		private final HttpServerRequest in;

		private final HttpServerResponse out;

		private final ModelCallPath path;

		private final long started = System.nanoTime();

		private String requestId;

		private String clientId;

		private ModelRequest routed;

		private long routedAt;

		private String instance;

		private ByteBuf body;

		private long held;

		private boolean finished;

		/**
		 * The gateway's span of this call: a child of the caller's trace, if it sent one.
		 */
		private Span span;

		Call(HttpServerRequest in, HttpServerResponse out, ModelCallPath path) {
			this.in = in;
			this.out = out;
			this.path = path;
		}

		Mono<Void> run() {
			HttpHeaders headers = this.in.requestHeaders();
			this.span = ModelCallHandler.this.spans.start(this.path.endpoint().spanName(), headers);
			this.requestId = RequestIdentity.requestId(headers.get(RequestIdentity.REQUEST_ID_HEADER));
			this.out.header(RequestIdentity.REQUEST_ID_HEADER, this.requestId);
			if (Http10KeepAlive.asked(this.in)) {
				this.out.header(HttpHeaderNames.CONNECTION, "keep-alive");
			}
			Mono<Void> call;
			if (RequestHeaderLimit.size(headers) > ModelCallHandler.this.settings.maxHeaderSize().toBytes()) {
				call = Mono.error(new RequestHeadersTooLargeException(ModelCallHandler.this.settings.maxHeaderSize()));
			}
			else if (declaredLength(headers) > ModelCallHandler.this.settings.maxBodySize().toBytes()) {
				call = Mono.error(new RequestTooLargeException(ModelCallHandler.this.settings.maxBodySize()));
			}
			else {
				call = onLoop(ModelCallHandler.this.access.check(headers.get(HttpHeaderNames.AUTHORIZATION),
						this.path.model(), this.path.endpoint() == Endpoint.INFER_PINNED))
					.flatMap(this::authenticated);
			}
			return call.onErrorResume(this::fail).doOnCancel(this::cancelled).doFinally((signal) -> release());
		}

		private Mono<Void> authenticated(String clientId) {
			this.clientId = clientId;
			return readBody().then(Mono.defer(this::rateLimited));
		}

		private Mono<Void> readBody() {
			long limit = ModelCallHandler.this.settings.maxBodySize().toBytes();
			long budget = ModelCallHandler.this.settings.maxBufferedBodies().toBytes();
			return ByteBufFlux.fromInbound(this.in.receive().doOnNext((chunk) -> {
				int size = chunk.readableBytes();
				this.held += size;
				if (this.held > limit) {
					throw new RequestTooLargeException(ModelCallHandler.this.settings.maxBodySize());
				}
				if (ModelCallHandler.this.buffered.addAndGet(size) > budget) {
					throw new GatewayOverloadedException(
							"the gateway holds too many request bodies right now; retry shortly");
				}
			})).aggregate().retain().doOnNext((aggregated) -> this.body = aggregated).then();
		}

		private Mono<Void> rateLimited() {
			RoutingTable.Client client = ModelCallHandler.this.routing.table().client(this.clientId);
			RatePlan plan = (client != null) ? client.ratePlan() : RatePlan.DEFAULT;
			RateLimitDecision now = ModelCallHandler.this.limiter.decideNow(this.clientId, plan);
			if (now != null) {
				return decided(now);
			}
			return onLoop(ModelCallHandler.this.limiter.decide(this.clientId, plan)).flatMap(this::decided);
		}

		private Mono<Void> decided(RateLimitDecision decision) {
			this.out.header("RateLimit-Limit", Long.toString(decision.limit()));
			this.out.header("RateLimit-Remaining", Long.toString(decision.remaining()));
			this.out.header("RateLimit-Reset", Long.toString(decision.resetSeconds()));
			if (!decision.allowed()) {
				return Mono.error(new RateLimitExceededException(this.clientId, decision));
			}
			return forward();
		}

		private Mono<Void> forward() {
			HttpHeaders headers = this.in.requestHeaders();
			this.routed = ModelCallHandler.this.versions.route(this.path.endpoint(), this.path.model(),
					this.path.version(), this.clientId, headers::get);
			this.routedAt = System.nanoTime();
			this.out.header(ModelRequest.VERSION_HEADER, Integer.toString(this.routed.version()));
			HttpHeaders upstream = copyExcept(headers, NOT_PASSED_UPSTREAM, new DefaultHttpHeaders(false));
			upstream.set(RequestIdentity.REQUEST_ID_HEADER, this.requestId);
			ModelCallHandler.this.spans.propagate(this.span, upstream);
			Shadow shadow = ModelCallHandler.this.shadows.wanted(this.routed) ? new Shadow(upstream) : null;
			return ModelCallHandler.this.calls
				.call(this.routed, this.body, upstream, this.path.query(),
						(this.in instanceof Connection connection) ? connection.channel().eventLoop() : null,
						(picked) -> this.instance = picked.instanceId(), (answer) -> answer(answer, shadow))
				.doOnSuccess((done) -> {
					if (shadow != null) {
						shadow.send();
					}
				});
		}

		private Mono<Void> answer(InstanceAnswer answer, Shadow shadow) {
			// The instance's hop-by-hop headers are dropped before its headers join the
			// gateway's own (request id, rate limit, keep-alive for an HTTP/1.0 client).
			HttpHeaders headers = copyExcept(answer.headers(), NOT_PASSED_BACK, this.out.responseHeaders());
			headers.set(RequestIdentity.REQUEST_ID_HEADER, this.requestId);
			headers.set(ModelRequest.VERSION_HEADER, Integer.toString(this.routed.version()));
			this.out.status(answer.status());
			finish(answer.status(), false);
			if (shadow != null) {
				shadow.primaryStatus = answer.status();
				shadow.primaryBinary = answer.headers().contains(ShadowCopies.BINARY_HEADER);
			}
			if (answer.whole()) {
				// A small answer goes out whole, headers and body in one write: one TLS
				// record and one system call instead of one per part (BENCHMARKS.md).
				Mono<ByteBuf> whole = Mono.from(answer.body());
				return this.out.send((shadow != null) ? whole.doOnNext(shadow::keep) : whole).then();
			}
			Flux<ByteBuf> parts = Flux.from(answer.body());
			return this.out.send((shadow != null) ? parts.doOnNext(shadow::keep) : parts).then();
		}

		private Mono<Void> fail(Throwable failure) {
			if (clientGone()) {
				finish(499, false);
				return Mono.empty();
			}
			GatewayProblem problem = (failure instanceof GatewayProblem known) ? known : null;
			if (problem == null) {
				logger.error("Unexpected failure on {} {}", this.in.method(), this.path.path(), failure);
			}
			HttpStatus status = (problem != null) ? problem.status() : HttpStatus.INTERNAL_SERVER_ERROR;
			finish(status.value(), failure instanceof UpstreamTimeoutException);
			if (this.out.hasSentHeaders()) {
				// Failed while the answer was under way: only closing the connection
				// tells.
				return Mono.error(failure);
			}
			byte[] document = (problem != null)
					? ModelCallHandler.this.problems.document(status, problem.kind(), problem.title(),
							problem.getMessage(), this.path.path())
					: ModelCallHandler.this.problems.document(status, "internal-error", "Internal error",
							"the gateway failed to handle the request", this.path.path());
			if (problem != null) {
				org.springframework.http.HttpHeaders extra = new org.springframework.http.HttpHeaders();
				problem.addHeaders(extra);
				extra.forEach((name, values) -> this.out.responseHeaders().set(name, values));
			}
			return this.out.status(HttpResponseStatus.valueOf(status.value()))
				.header(HttpHeaderNames.CONTENT_TYPE, ProblemWriter.PROBLEM_JSON.toString())
				.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(document.length))
				.sendObject(Unpooled.wrappedBuffer(document))
				.then();
		}

		private void cancelled() {
			finish(499, false);
		}

		/** Records the outcome and writes the access line, once. */
		private synchronized void finish(int status, boolean timedOut) {
			if (this.finished) {
				return;
			}
			this.finished = true;
			if (this.routed != null) {
				Outcome outcome = (status == 499) ? Outcome.CLIENT_CLOSED : Outcome.of(status, timedOut);
				// A sampled call's trace becomes an exemplar of the latency histogram in
				// the span's scope; for the others the scope (which also sets the logging
				// context) is not worth opening.
				Scope scope = this.span.getSpanContext().isSampled() ? this.span.makeCurrent() : Scope.noop();
				try (scope) {
					ModelCallHandler.this.outcomes.record(this.routed.deployment().name(), this.routed.version(),
							outcome, Duration.ofNanos(System.nanoTime() - this.routedAt));
				}
			}
			String traceId = endSpan(status);
			ModelCallHandler.this.accessLog.log(this.requestId, "POST", this.path.path(), status, this.started,
					this.clientId, this.routed, this.instance, traceId);
		}

		/** Ends the call's span; its trace id, or {@code null} when tracing is off. */
		private String endSpan(int status) {
			if (!this.span.isRecording()) {
				this.span.end();
				return this.span.getSpanContext().isValid() ? this.span.getSpanContext().getTraceId() : null;
			}
			this.span.setAttribute("http.response.status_code", status);
			this.span.setAttribute("servinglayer.request_id", this.requestId);
			if (this.routed != null) {
				this.span.setAttribute("servinglayer.deployment", this.routed.deployment().name());
				this.span.setAttribute("servinglayer.model_version", this.routed.version());
			}
			if (this.instance != null) {
				this.span.setAttribute("servinglayer.instance", this.instance);
			}
			if (this.clientId != null) {
				this.span.setAttribute("servinglayer.client_id", this.clientId);
			}
			if (status >= 500) {
				this.span.setStatus(StatusCode.ERROR);
			}
			this.span.end();
			return this.span.getSpanContext().getTraceId();
		}

		private boolean clientGone() {
			return this.in instanceof Connection connection && !connection.channel().isActive();
		}

		private void release() {
			if (this.body != null) {
				this.body.release();
				this.body = null;
			}
			ModelCallHandler.this.buffered.addAndGet(-this.held);
			this.held = 0;
		}

		/**
		 * After a step that waited for another machine, back onto the connection's own
		 * event loop; a step that answered at once needs no hop.
		 */
		private <T> Mono<T> onLoop(Mono<T> step) {
			if (step instanceof Fuseable.ScalarCallable || !(this.in instanceof Connection connection)) {
				return step;
			}
			return step.publishOn(Schedulers.fromExecutor(connection.channel().eventLoop()));
		}

		/**
		 * The copy of this call for the shadow version, sent once the answer is written.
		 */
		private final class Shadow {

			private final byte[] request;

			private final org.springframework.http.HttpHeaders identity = new org.springframework.http.HttpHeaders();

			private final ByteArrayOutputStream primary = new ByteArrayOutputStream();

			private final MediaType contentType;

			private int primaryStatus;

			private boolean primaryBinary;

			private boolean tooLarge;

			Shadow(HttpHeaders upstream) {
				this.request = ByteBufUtil.getBytes(Call.this.body);
				for (String name : ShadowCopies.identityHeaders()) {
					String value = upstream.get(name);
					if (value != null) {
						this.identity.set(name, value);
					}
				}
				String type = Call.this.in.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
				MediaType parsed = MediaType.APPLICATION_JSON;
				try {
					if (type != null) {
						parsed = MediaType.parseMediaType(type);
					}
				}
				catch (RuntimeException ex) {
					// the instance judges a content type it cannot read; the copy is JSON
				}
				this.contentType = parsed;
			}

			void keep(ByteBuf chunk) {
				int size = chunk.readableBytes();
				if (this.primary.size() + size <= ModelCallHandler.this.shadows.maxCompared()) {
					byte[] bytes = new byte[size];
					chunk.getBytes(chunk.readerIndex(), bytes);
					this.primary.write(bytes, 0, size);
				}
				else {
					this.tooLarge = true;
				}
			}

			void send() {
				// Answers with binary outputs are not JSON: their agreement is not
				// measured.
				boolean comparable = this.primaryStatus == 200 && !this.primaryBinary;
				ModelCallHandler.this.shadows.send(Call.this.routed.deployment(), this.request, this.identity,
						this.contentType, comparable ? this.primary.toByteArray() : null, this.tooLarge);
			}

		}

	}

	@SafeVarargs
	private static HttpHeaders names(List<String>... lists) {
		HttpHeaders names = new DefaultHttpHeaders(false);
		for (List<String> list : lists) {
			list.forEach((name) -> names.add(name, ""));
		}
		return names;
	}

	/**
	 * Adds the headers of {@code source} whose names are not in {@code excluded} to
	 * {@code target}: one case-insensitive lookup per header present, rather than a copy
	 * and then one removal per excluded name, and no string made per header
	 * (BENCHMARKS.md, "Gateway fast path").
	 */
	private static HttpHeaders copyExcept(HttpHeaders source, HttpHeaders excluded, HttpHeaders target) {
		Iterator<Map.Entry<CharSequence, CharSequence>> entries = source.iteratorCharSequence();
		while (entries.hasNext()) {
			Map.Entry<CharSequence, CharSequence> entry = entries.next();
			if (!excluded.contains(entry.getKey())) {
				target.add(entry.getKey(), entry.getValue());
			}
		}
		return target;
	}

	private static long declaredLength(HttpHeaders headers) {
		String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
		if (length == null) {
			return -1;
		}
		try {
			return Long.parseLong(length.trim());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

}
