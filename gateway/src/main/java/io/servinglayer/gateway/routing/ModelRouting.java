package io.servinglayer.gateway.routing;

import io.servinglayer.gateway.system.FilterOrder;
import java.util.Map;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.MeterRegistry;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * Routes a model request on the generic chain (metadata and readiness, and any model call
 * the lean path does not take) by {@link VersionRouting}, and names the version in every
 * answer's {@code X-Model-Version}.
 */
class ModelRouting implements GlobalFilter, Ordered {

	private final VersionRouting versions;

	ModelRouting(VersionRouting versions) {
		this.versions = versions;
	}

	ModelRouting(Routing routing, WarmVersions warm, MeterRegistry meters, RandomGenerator random) {
		this(new VersionRouting(routing, warm, meters, random));
	}

	@Override
	public int getOrder() {
		return FilterOrder.MODEL_ROUTING;
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
		String clientId = exchange.getAttribute(ModelRequest.CLIENT_ID_ATTRIBUTE);
		ModelRequest request = this.versions.route(endpoint, variables.get("model"), variables.get("version"), clientId,
				(name) -> exchange.getRequest().getHeaders().getFirst(name));
		exchange.getAttributes().put(ModelRequest.ATTRIBUTE, request);
		String versionText = Integer.toString(request.version());
		exchange.getResponse().beforeCommit(() -> {
			exchange.getResponse().getHeaders().set(ModelRequest.VERSION_HEADER, versionText);
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

}
