package io.servinglayer.gateway.balancing;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.servinglayer.gateway.routing.ModelRequest;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Sends one attempt of a model request to an instance that announces the chosen version
 * ready, at the version-pinned path, within the deployment's timeout. It runs inside the
 * route's retry, so a retried attempt picks again and avoids the instance that failed.
 */
public class InstanceForwarding implements GlobalFilter, Ordered {

	/** The instance of the current attempt, for the access log. */
	public static final String INSTANCE_ATTRIBUTE = "servinglayer.instance";

	private static final String TRIED_ATTRIBUTE = "servinglayer.instances-tried";

	private final InstanceDirectory directory;

	private final InstancePicker picker;

	private final BalancingSettings settings;

	InstanceForwarding(InstanceDirectory directory, InstancePicker picker, BalancingSettings settings) {
		this.directory = directory;
		this.picker = picker;
		this.settings = settings;
	}

	@Override
	public int getOrder() {
		// After the route URI is turned into the request URL, which this replaces.
		return RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1;
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
		Instance instance = this.picker.pick(candidates, tried);
		if (instance == null) {
			return Mono.error(new NoReadyInstanceException(deployment, request.version(), this.settings.retryAfter()));
		}
		tried.add(instance.baseUrl());
		URI url = UriComponentsBuilder.fromUriString(instance.baseUrl())
			.path(request.instancePath())
			.query(exchange.getRequest().getURI().getRawQuery())
			.build(true)
			.toUri();
		exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR, url);
		exchange.getAttributes().put(INSTANCE_ATTRIBUTE, instance.instanceId());
		int timeoutMs = request.deployment().timeoutMs();
		this.picker.started(instance);
		return chain.filter(exchange)
			.timeout(Duration.ofMillis(timeoutMs))
			.onErrorMap(TimeoutException.class,
					(ex) -> new UpstreamTimeoutException(deployment, request.version(), timeoutMs))
			.doFinally((signal) -> this.picker.finished(instance));
	}

	@SuppressWarnings("unchecked")
	private static Set<String> castTried(Object set) {
		return (Set<String>) set;
	}

}
