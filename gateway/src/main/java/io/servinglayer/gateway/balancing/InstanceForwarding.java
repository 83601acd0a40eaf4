package io.servinglayer.gateway.balancing;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.servinglayer.gateway.system.FilterOrder;
import io.servinglayer.gateway.balancing.InstanceBreaker.Admission;
import io.servinglayer.gateway.system.ClientConnection;
import io.servinglayer.gateway.routing.ModelRequest;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClientResponse;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * On the generic chain (metadata and readiness), sends one attempt of a model request to
 * an instance that announces the chosen version ready, at the version-pinned path, within
 * the deployment's timeout. It runs inside the route's retry, so a retried attempt picks
 * again and avoids the instance that failed. Each attempt's outcome goes to the
 * instance's circuit breaker, which keeps instances that fail again and again out of the
 * pick for a while.
 */
public class InstanceForwarding implements GlobalFilter, Ordered {

	/** The instance of the current attempt, for the access log. */
	public static final String INSTANCE_ATTRIBUTE = "servinglayer.instance";

	private static final String TRIED_ATTRIBUTE = "servinglayer.instances-tried";

	private final InstanceDirectory directory;

	private final InstancePicker picker;

	private final InstanceBreakers breakers;

	private final BalancingSettings settings;

	private final InstanceCredential credential;

	InstanceForwarding(InstanceDirectory directory, InstancePicker picker, InstanceBreakers breakers,
			BalancingSettings settings, InstanceCredential credential) {
		this.directory = directory;
		this.picker = picker;
		this.breakers = breakers;
		this.settings = settings;
		this.credential = credential;
	}

	@Override
	public int getOrder() {
		return FilterOrder.INSTANCE_FORWARDING;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		ModelRequest request = exchange.getAttribute(ModelRequest.ATTRIBUTE);
		if (request == null) {
			return chain.filter(exchange);
		}
		String deployment = request.deployment().name();
		List<Instance> candidates = this.directory.ready(deployment, request.version());
		Set<String> tried = castTried(
				exchange.getAttributes().computeIfAbsent(TRIED_ATTRIBUTE, (key) -> new HashSet<String>()));
		Attempt attempt = pick(candidates, tried);
		if (attempt == null) {
			return Mono.error(new NoReadyInstanceException(deployment, request.version(), this.settings.retryAfter()));
		}
		Instance instance = attempt.instance();
		Admission admission = attempt.admission();
		tried.add(instance.baseUrl());
		String query = exchange.getRequest().getURI().getRawQuery();
		// The base URL was checked when the instance was read, the path is made of a
		// served
		// model's name and version, and the query is passed on as the caller encoded it.
		URI url = URI.create(instance.baseUrl() + request.instancePath() + ((query != null) ? "?" + query : ""));
		exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR, url);
		exchange.getAttributes().put(INSTANCE_ATTRIBUTE, instance.instanceId());
		int timeoutMs = request.deployment().timeoutMs();
		this.picker.started(instance);
		// The caller's Authorization was removed by the route; the instance gets the
		// gateway's own.
		String authorization = this.credential.authorization();
		ServerWebExchange forwarded = (authorization != null) ? exchange.mutate()
			.request((upstream) -> upstream.headers((headers) -> headers.set(HttpHeaders.AUTHORIZATION, authorization)))
			.build() : exchange;
		return chain.filter(forwarded)
			.timeout(Duration.ofMillis(timeoutMs))
			.onErrorMap(TimeoutException.class,
					(ex) -> new UpstreamTimeoutException(deployment, request.version(), timeoutMs))
			.doOnSuccess((done) -> answered(exchange, instance, admission))
			.doOnError((failure) -> {
				UpstreamFailure kind = ClientConnection.closed(exchange) ? UpstreamFailure.CLIENT_GONE
						: UpstreamFailure.of(failure);
				if (kind.instancesDoing()) {
					this.breakers.failed(instance, admission, kind.name().toLowerCase() + ": " + failure);
				}
				else {
					this.breakers.abandoned(instance, admission);
				}
			})
			.doOnCancel(() -> this.breakers.abandoned(instance, admission))
			.doFinally((signal) -> this.picker.finished(instance));
	}

	/**
	 * Power of two choices among the candidates whose breakers let an attempt through, or
	 * among all of them when every one is ejected or more are than
	 * {@code max-ejection-percent} allows.
	 * @return the attempt, or {@code null} when there is no candidate
	 */
	Attempt pick(List<Instance> candidates, Set<String> tried) {
		Attempt attempt = null;
		for (int round = 0; round <= candidates.size(); round++) {
			List<Instance> admitting = this.breakers.admitting(candidates);
			int mayEject = Math.max(1, candidates.size() * this.settings.maxEjectionPercent() / 100);
			boolean ignoreEjections = admitting.isEmpty() || candidates.size() - admitting.size() > mayEject;
			Instance instance = this.picker.pick(ignoreEjections ? candidates : admitting, tried);
			if (instance == null) {
				return null;
			}
			attempt = new Attempt(instance, this.breakers.admit(instance));
			// A half-open instance lets one trial through: when another attempt took it
			// between the two looks, this one picks again rather than be a second trial.
			if (attempt.admission() != Admission.WHILE_EJECTED || ignoreEjections) {
				return attempt;
			}
		}
		return attempt;
	}

	private void answered(ServerWebExchange exchange, Instance instance, Admission admission) {
		HttpClientResponse response = exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR);
		if (response == null) {
			this.breakers.abandoned(instance, admission);
			return;
		}
		int status = response.status().code();
		if (UpstreamFailure.answerCountsAgainstInstance(status,
				response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE))) {
			this.breakers.failed(instance, admission, "answered " + status);
		}
		else {
			this.breakers.succeeded(instance, admission);
		}
	}

	/** The instance an attempt goes to, and how its breaker let it through. */
	record Attempt(Instance instance, Admission admission) {
	}

	@SuppressWarnings("unchecked")
	private static Set<String> castTried(Object set) {
		return (Set<String>) set;
	}

}
