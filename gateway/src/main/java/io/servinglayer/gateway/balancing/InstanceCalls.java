package io.servinglayer.gateway.balancing;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.servinglayer.gateway.balancing.InstanceBreaker.Admission;
import io.servinglayer.gateway.routing.ModelRequest;
import io.servinglayer.gateway.system.GatewayProblem;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpResources;

/**
 * Carries a model call to an instance that announces the chosen version ready, at the
 * version-pinned path, on the gateway's own HTTP/1.1 connections to the instances
 * ({@link InstanceConnections}), bounded per instance, on the event loop of the caller's
 * connection. An instance that refuses the connection or answers 503 is tried again once,
 * on another instance; a call that timed out never is, since the inference may have run.
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

	private final InstanceConnections connections;

	/**
	 * The instances' base URLs, parsed once: parsing a URL on every call cost 2 % of a
	 * model call's CPU (BENCHMARKS.md, session 7).
	 */
	private final Cache<String, Address> addresses = Caffeine.newBuilder().maximumSize(4096).build();

	InstanceCalls(InstanceDirectory directory, InstanceForwarding picking, InstancePicker picker,
			InstanceBreakers breakers, BalancingSettings settings, InstanceClientSettings client,
			InstanceCredential credential, MeterRegistry meters) {
		this.directory = directory;
		this.picking = picking;
		this.picker = picker;
		this.breakers = breakers;
		this.settings = settings;
		this.credential = credential;
		this.connections = new InstanceConnections(client, meters);
	}

	/**
	 * Sends the call; {@code answer} is applied once, to the answer that is final (after
	 * any retry), and streams it to the client.
	 * @param body the request body as it arrived; each attempt sends a retained duplicate
	 * @param headers what the instance gets of the request's headers
	 * @param query the raw query, {@code null} when there is none
	 * @param loop the event loop of the caller's connection, whose connections to the
	 * instances the call takes; {@code null} for one of Reactor Netty's client loops
	 * @param attempted told of each instance an attempt goes to
	 * @return completes when {@code answer}'s publisher does; fails with the
	 * {@link GatewayProblem} to answer, or with the failure itself when it is not the
	 * call's
	 */
	public Mono<Void> call(ModelRequest request, ByteBuf body, HttpHeaders headers, String query, EventLoop loop,
			Consumer<Instance> attempted, Function<InstanceAnswer, Mono<Void>> answer) {
		Set<String> tried = new HashSet<>(2);
		EventLoop on = (loop != null) ? loop : HttpResources.get().onClient(true).next();
		return attempt(on, request, body, headers, query, attempted, answer, tried, true).onErrorResume(
				(failure) -> failure == RetryOnAnother.INSTANCE,
				(retry) -> attempt(on, request, body, headers, query, attempted, answer, tried, false));
	}

	private Mono<Void> attempt(EventLoop loop, ModelRequest request, ByteBuf body, HttpHeaders headers, String query,
			Consumer<Instance> attempted, Function<InstanceAnswer, Mono<Void>> answer, Set<String> tried,
			boolean mayRetry) {
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
		Address address = this.addresses.get(instance.baseUrl(), Address::of);
		// A query goes as the client sent it, unparsed: instances accept what some
		// parsers would refuse.
		String target = address.path() + request.instancePath() + ((query != null) ? "?" + query : "");
		headers.set(HttpHeaderNames.HOST, address.host());
		String authorization = this.credential.authorization();
		if (authorization != null) {
			headers.set(HttpHeaderNames.AUTHORIZATION, authorization);
		}
		headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
		Settled settled = new Settled();
		this.picker.started(instance);
		return this.connections.exchange(loop, address.origin(), target, headers, body, Duration.ofMillis(timeoutMs))
			.flatMap((response) -> {
				int status = response.status();
				boolean failed = UpstreamFailure.answerCountsAgainstInstance(status,
						response.headers().get(HttpHeaderNames.CONTENT_TYPE));
				if (settled.settle()) {
					if (failed) {
						this.breakers.failed(instance, admission, "answered " + status);
					}
					else {
						this.breakers.succeeded(instance, admission);
					}
				}
				if (status == 503 && mayRetry) {
					response.discard();
					return Mono.<Void>error(RetryOnAnother.INSTANCE);
				}
				if (status == 401 || status == 403) {
					// The instance refused the gateway's own credential, not the
					// caller's:
					// the caller's token was checked here and never reaches the instance.
					response.discard();
					return Mono.<Void>error(new GatewayCredentialRefusedException(status));
				}
				return answer.apply(response).doFinally((signal) -> response.discard());
			})
			.onErrorResume((failure) -> {
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
			})
			.doOnCancel(() -> {
				if (settled.settle()) {
					this.breakers.abandoned(instance, admission);
				}
			})
			.doFinally((signal) -> this.picker.finished(instance));
	}

	@Override
	public void close() {
		this.connections.close();
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

	/**
	 * Where an instance listens, the path its base URL puts before every call's, and the
	 * {@code Host} it is sent, made once rather than per call.
	 */
	private record Address(InstanceConnections.Origin origin, String path, String host) {

		static Address of(String baseUrl) {
			URI uri = URI.create(baseUrl);
			InstanceConnections.Origin origin = InstanceConnections.Origin.of(uri);
			return new Address(origin, (uri.getRawPath() == null) ? "" : uri.getRawPath(), origin.authority());
		}

	}

	/** The instance answered 503 and another may serve: not an answer for the client. */
	private static final class RetryOnAnother extends RuntimeException {

		static final RetryOnAnother INSTANCE = new RetryOnAnother();

		private RetryOnAnother() {
			super("retry on another instance", null, false, false);
		}

	}

}
