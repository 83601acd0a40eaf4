package io.servinglayer.gateway.routing;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;

import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

/**
 * One route per documented client path the generic chain serves (a model's metadata and
 * readiness; model calls take the lean path, {@code modelcalls}), nothing else: any other
 * path finds no route and is answered 404. The routes' URI is a placeholder; balancing
 * replaces it with the instance it picks. Each route retries once, on another instance,
 * when an instance cannot be reached (refused, or its name no longer resolves) or answers
 * 503; never on a timeout, since an inference that timed out may have run.
 */
final class GatewayRoutes {

	/** Stands in for the instance until balancing picks one. */
	static final String UNPICKED = "http://instance.unpicked.invalid";

	private GatewayRoutes() {
	}

	static RouteLocator routes(RouteLocatorBuilder builder) {
		RouteLocatorBuilder.Builder routes = builder.routes();
		for (Endpoint endpoint : new Endpoint[] { Endpoint.METADATA, Endpoint.READY }) {
			HttpMethod method = HttpMethod.GET;
			routes.route(endpoint.name().toLowerCase(Locale.ROOT),
					(route) -> route.method(method)
						.and()
						.path(endpoint.path())
						// The caller's credentials are the gateway's business, never the
						// instance's.
						.filters((filters) -> filters.removeRequestHeader(HttpHeaders.AUTHORIZATION)
							.removeRequestHeader(HttpHeaders.COOKIE)
							.retry((retry) -> retry.setRetries(1)
								.setMethods(HttpMethod.GET)
								.setStatuses(HttpStatus.SERVICE_UNAVAILABLE)
								.setSeries()
								.setExceptions(ConnectException.class, UnknownHostException.class)))
						.metadata(Endpoint.METADATA_KEY, endpoint.name())
						.uri(UNPICKED));
		}
		return routes.build();
	}

}
