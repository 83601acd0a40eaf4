package io.servinglayer.gateway.balancing;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.servinglayer.gateway.balancing.InstanceBreaker.Admission;
import io.servinglayer.gateway.routing.Endpoint;
import io.servinglayer.gateway.routing.ModelRequest;
import io.servinglayer.gateway.system.GatewayProblem;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;

/**
 * Carries a model call to an instance that announces the chosen version ready, at the
 * version-pinned path, on Reactor Netty's client with one bounded pool of kept-alive
 * connections per instance, without leaving the caller's event loop where the pool
 * allows. An instance that refuses the connection or answers 503 is tried again once, on
 * another instance; a call that timed out never is, since the inference may have run.
 * Each attempt's outcome goes to the instance's circuit breaker, read by
 * {@link UpstreamFailure}, the same reading that shapes the client's answer.
 */
public final class InstanceCalls implements AutoCloseable {

	private final InstanceDirectory directory;

	private final InstanceForwarding picking;

	private final InstancePicker picker;

	private final InstanceBreakers breakers;

	private final BalancingSettings settings;

	private final InstanceCredential credential;

	private final ConnectionProvider pool;

	private final HttpClient http;

	/**
	 * The client for each server event loop, its connections on that loop: a call and its
	 * answer stay on the thread that read the request, with no hand-over to another loop
	 * and back (BENCHMARKS.md, "Gateway fast path"). Bounded by the number of loops.
	 */
	private final ConcurrentHashMap<EventLoop, HttpClient> byLoop = new ConcurrentHashMap<>();

	/**
	 * The instances' URLs, parsed once: a URL given as a string is matched against a
	 * regular expression on every call (2 % of a model call's CPU in BENCHMARKS.md).
	 */
	private final Cache<Target, URI> urls = Caffeine.newBuilder().maximumSize(4096).build();

	InstanceCalls(InstanceDirectory directory, InstanceForwarding picking, InstancePicker picker,
			InstanceBreakers breakers, BalancingSettings settings, InstanceClientSettings client,
			InstanceCredential credential) {
		this.directory = directory;
		this.picking = picking;
		this.picker = picker;
		this.breakers = breakers;
		this.settings = settings;
		this.credential = credential;
		this.pool = ConnectionProvider.builder("instances")
			.maxConnections(client.maxConnections())
			.pendingAcquireMaxCount(client.maxPending())
			.pendingAcquireTimeout(client.acquireTimeout())
			.maxIdleTime(client.maxIdleTime())
			.build();
		this.http = HttpClient.create(this.pool)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) client.connectTimeout().toMillis());
	}

	/**
	 * Sends the call; {@code answer} is applied once, to the answer that is final (after
	 * any retry), and streams it to the client.
	 * @param body the request body as it arrived; each attempt sends a retained duplicate
	 * @param headers what the instance gets of the request's headers
	 * @param query the raw query, {@code null} when there is none
	 * @param loop the event loop of the caller's connection, whose connections to the
	 * instances the call takes; {@code null} for any
	 * @param attempted told of each instance an attempt goes to
	 * @return completes when {@code answer}'s publisher does; fails with the
	 * {@link GatewayProblem} to answer, or with the failure itself when it is not the
	 * call's
	 */
	public Mono<Void> call(ModelRequest request, ByteBuf body, HttpHeaders headers, String query, EventLoop loop,
			Consumer<Instance> attempted, BiFunction<HttpClientResponse, ByteBufFlux, Mono<Void>> answer) {
		HttpClient http = (loop != null) ? this.byLoop.computeIfAbsent(loop, this.http::runOn) : this.http;
		Set<String> tried = new HashSet<>(2);
		return attempt(http, request, body, headers, query, attempted, answer, tried, true).onErrorResume(
				(failure) -> failure == RetryOnAnother.INSTANCE,
				(retry) -> attempt(http, request, body, headers, query, attempted, answer, tried, false));
	}

	private Mono<Void> attempt(HttpClient http, ModelRequest request, ByteBuf body, HttpHeaders headers, String query,
			Consumer<Instance> attempted, BiFunction<HttpClientResponse, ByteBufFlux, Mono<Void>> answer,
			Set<String> tried, boolean mayRetry) {
		String deployment = request.deployment().name();
		List<Instance> candidates = this.directory.ready(deployment, request.version());
		InstanceForwarding.Attempt attempt = this.picking.pick(candidates, tried);
		if (attempt == null) {
			return Mono.error(new NoReadyInstanceException(deployment, request.version(), this.settings.retryAfter()));
		}
		Instance instance = attempt.instance();
		Admission admission = attempt.admission();
		tried.add(instance.baseUrl());
		attempted.accept(instance);
		int timeoutMs = request.deployment().timeoutMs();
		Duration timeout = Duration.ofMillis(timeoutMs);
		// A query goes as the client sent it: java.net.URI would refuse some of what
		// clients send and instances accept.
		HttpClient.RequestSender post = (query != null)
				? http.post().uri(instance.baseUrl() + request.instancePath() + "?" + query)
				: http.post()
					.uri(this.urls.get(
							new Target(instance.baseUrl(), deployment, request.version(), request.endpoint()),
							(target) -> URI.create(target.baseUrl() + request.instancePath())));
		String authorization = this.credential.authorization();
		Settled settled = new Settled();
		this.picker.started(instance);
		return post.send((outbound, out) -> {
			outbound.requestHeaders().add(headers);
			if (authorization != null) {
				outbound.requestHeaders().set(HttpHeaderNames.AUTHORIZATION, authorization);
			}
			outbound.requestHeaders().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
			// Bounds the wait for the answer's headers, and each silence after them.
			outbound.responseTimeout(timeout);
			return out.send(Mono.fromSupplier(body::retainedDuplicate));
		}).responseConnection((response, connection) -> {
			int status = response.status().code();
			boolean failed = UpstreamFailure.answerCountsAgainstInstance(status,
					response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE));
			if (settled.settle()) {
				if (failed) {
					this.breakers.failed(instance, admission, "answered " + status);
				}
				else {
					this.breakers.succeeded(instance, admission);
				}
			}
			if (status == 503 && mayRetry) {
				return Mono.<Void>error(RetryOnAnother.INSTANCE);
			}
			if (status == 401 || status == 403) {
				// The instance refused the gateway's own credential, not the caller's:
				// the
				// caller's token was checked here and never reaches the instance.
				return Mono.<Void>error(new GatewayCredentialRefusedException(status));
			}
			return answer.apply(response, connection.inbound().receive());
		}).then().onErrorResume((failure) -> {
			if (failure == RetryOnAnother.INSTANCE) {
				return Mono.error(failure);
			}
			UpstreamFailure kind = UpstreamFailure.of(failure);
			if (settled.settle()) {
				if (kind.instancesDoing()) {
					this.breakers.failed(instance, admission, kind.name().toLowerCase() + ": " + failure);
				}
				else {
					this.breakers.abandoned(instance, admission);
				}
			}
			if (kind == UpstreamFailure.UNREACHABLE && mayRetry) {
				return Mono.error(RetryOnAnother.INSTANCE);
			}
			GatewayProblem problem = kind.problem(deployment, request.version(), timeoutMs);
			return Mono.error((problem != null) ? problem : failure);
		}).doOnCancel(() -> {
			if (settled.settle()) {
				this.breakers.abandoned(instance, admission);
			}
		}).doFinally((signal) -> this.picker.finished(instance));
	}

	@Override
	public void close() {
		this.pool.dispose();
	}

	/**
	 * Whether an attempt's outcome has gone to the breaker: once, whatever comes after.
	 */
	private static final class Settled {

		private boolean done;

		synchronized boolean settle() {
			if (this.done) {
				return false;
			}
			this.done = true;
			return true;
		}

	}

	/** Where a call without a query goes. */
	private record Target(String baseUrl, String deployment, int version, Endpoint endpoint) {
	}

	/** The instance answered 503 and another may serve: not an answer for the client. */
	private static final class RetryOnAnother extends RuntimeException {

		static final RetryOnAnother INSTANCE = new RetryOnAnother();

		private RetryOnAnother() {
			super("retry on another instance", null, false, false);
		}

	}

}
