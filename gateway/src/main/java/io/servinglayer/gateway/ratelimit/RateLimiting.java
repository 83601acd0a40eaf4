package io.servinglayer.gateway.ratelimit;

import io.servinglayer.gateway.system.FilterOrder;
import io.servinglayer.gateway.routing.ModelRequest;
import io.servinglayer.gateway.routing.RatePlan;
import io.servinglayer.gateway.routing.Routing;
import io.servinglayer.gateway.routing.RoutingTable;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Applies the caller's rate plan from the routing snapshot to every model request, and
 * says where the caller stands in {@code RateLimit-Limit}, {@code RateLimit-Remaining}
 * and {@code RateLimit-Reset} on every answer, refused or not.
 */
class RateLimiting implements GlobalFilter, Ordered {

	private final RateLimiter limiter;

	private final Routing routing;

	RateLimiting(RateLimiter limiter, Routing routing) {
		this.limiter = limiter;
		this.routing = routing;
	}

	@Override
	public int getOrder() {
		return FilterOrder.RATE_LIMITING;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		String clientId = exchange.getAttribute(ModelRequest.CLIENT_ID_ATTRIBUTE);
		if (clientId == null) {
			return chain.filter(exchange);
		}
		RoutingTable.Client client = this.routing.table().client(clientId);
		RatePlan plan = (client != null) ? client.ratePlan() : RatePlan.DEFAULT;
		// A decision this gateway takes alone needs no hop; one that waited for Redis
		// (Lettuce answers on its single I/O thread) goes back to the connection's own
		// event loop, so no request runs on Redis's thread.
		RateLimitDecision now = this.limiter.decideNow(clientId, plan);
		Mono<RateLimitDecision> decided = (now != null) ? Mono.just(now)
				: this.limiter.decide(clientId, plan).publishOn(EventLoops.of(exchange));
		return decided.flatMap((decision) -> {
			HttpHeaders headers = exchange.getResponse().getHeaders();
			headers.set("RateLimit-Limit", Long.toString(decision.limit()));
			headers.set("RateLimit-Remaining", Long.toString(decision.remaining()));
			headers.set("RateLimit-Reset", Long.toString(decision.resetSeconds()));
			if (!decision.allowed()) {
				return Mono.error(new RateLimitExceededException(clientId, decision));
			}
			return chain.filter(exchange);
		});
	}

}
