package io.servinglayer.gateway.routing;

import java.util.Map;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.gateway.access.Caller;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * Decides the deployment and version of a model request, once, before any retry: a pinned
 * path names its version; otherwise the split picks stable or canary by the sticky key,
 * and a canary no instance has warm falls back to stable (counted in
 * {@code gateway.canary.fallbacks}), and a new stable version no instance has warm yet
 * falls back to the stable version before it (counted in
 * {@code gateway.stable.fallbacks}), so a deploy under load fails no request while the
 * instances load the new version. Every answer then names its version in
 * {@code X-Model-Version}.
 */
class ModelRouting implements GlobalFilter, Ordered {

	/** After rate limiting, before shadowing, retries and forwarding. */
	public static final int ORDER = -40;

	public static final String VERSION_HEADER = "X-Model-Version";

	private final Routing routing;

	private final WarmVersions warm;

	private final MeterRegistry meters;

	private final RandomGenerator random;

	ModelRouting(Routing routing, WarmVersions warm, MeterRegistry meters, RandomGenerator random) {
		this.routing = routing;
		this.warm = warm;
		this.meters = meters;
		this.random = random;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		Object endpointName = (route != null) ? route.getMetadata().get(Endpoint.METADATA_KEY) : null;
		if (endpointName == null) {
			return chain.filter(exchange);
		}
		Endpoint endpoint = Endpoint.valueOf(endpointName.toString());
		Map<String, String> variables = ServerWebExchangeUtils.getUriTemplateVariables(exchange);
		String name = variables.get("model");
		RoutingTable table = this.routing.table();
		Deployment deployment = table.deployment(name);
		if (deployment == null) {
			return Mono.error(new ModelNotFoundException(name));
		}
		String clientId = exchange.getAttribute(Caller.CLIENT_ID_ATTRIBUTE);
		int version;
		if (endpoint == Endpoint.INFER_PINNED) {
			version = pinned(deployment, variables.get("version"));
		}
		else {
			version = VersionChoice.choose(deployment, stickyValue(deployment, exchange, clientId), this.random);
			if (deployment.canary() != null && version == deployment.canary()
					&& !this.warm.isWarm(deployment.name(), version)) {
				Counter.builder("gateway.canary.fallbacks")
					.description("Requests the split gave the canary that went to stable: no instance had it warm")
					.tag("model", deployment.name())
					.register(this.meters)
					.increment();
				version = deployment.stable();
			}
			if (version == deployment.stable() && !this.warm.isWarm(deployment.name(), version)) {
				Integer previous = table.previousStable(deployment.name());
				if (previous != null && this.warm.isWarm(deployment.name(), previous)) {
					Counter.builder("gateway.stable.fallbacks")
						.description("Requests for a new stable version that no instance had warm yet, "
								+ "sent to the stable version before it")
						.tag("model", deployment.name())
						.register(this.meters)
						.increment();
					version = previous;
				}
			}
		}
		ModelRequest request = new ModelRequest(deployment, version, endpoint, clientId);
		exchange.getAttributes().put(ModelRequest.ATTRIBUTE, request);
		String versionText = Integer.toString(version);
		exchange.getResponse().beforeCommit(() -> {
			exchange.getResponse().getHeaders().set(VERSION_HEADER, versionText);
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

	private static int pinned(Deployment deployment, String text) {
		try {
			int version = Integer.parseInt(text);
			if (deployment.serves(version)) {
				return version;
			}
		}
		catch (NumberFormatException ex) {
			// answered below, like any version the deployment does not serve
		}
		throw new VersionNotServedException(deployment, text);
	}

	private static String stickyValue(Deployment deployment, ServerWebExchange exchange, String clientId) {
		String sticky = deployment.stickyKey();
		if ("client".equals(sticky)) {
			return clientId;
		}
		if (sticky != null && sticky.startsWith("header:")) {
			String value = exchange.getRequest().getHeaders().getFirst(sticky.substring("header:".length()));
			return (value != null && !value.isEmpty()) ? value : null;
		}
		return null;
	}

}
