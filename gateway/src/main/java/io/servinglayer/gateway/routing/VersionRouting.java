package io.servinglayer.gateway.routing;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Decides the deployment and version of a model request, once, before any retry: a pinned
 * path names its version; otherwise the split picks stable or canary by the sticky key,
 * and a canary no instance has warm falls back to stable (counted in
 * {@code gateway.canary.fallbacks}), and a new stable version no instance has warm yet
 * falls back to the stable version before it (counted in
 * {@code gateway.stable.fallbacks}), so a deploy under load fails no request while the
 * instances load the new version. Both the model-call path and the generic chain
 * ({@link ModelRouting}) route through it.
 */
public final class VersionRouting {

	private final Routing routing;

	private final WarmVersions warm;

	private final RandomGenerator random;

	private final Function<String, Counter> canaryFallbacks;

	private final Function<String, Counter> stableFallbacks;

	VersionRouting(Routing routing, WarmVersions warm, MeterRegistry meters, RandomGenerator random) {
		this.routing = routing;
		this.warm = warm;
		this.random = random;
		this.canaryFallbacks = counters(meters, "gateway.canary.fallbacks",
				"Requests the split gave the canary that went to stable: no instance had it warm");
		this.stableFallbacks = counters(meters, "gateway.stable.fallbacks",
				"Requests for a new stable version that no instance had warm yet, sent to the stable version before it");
	}

	/**
	 * @param versionText the version named in the path, {@code null} when it names none
	 * @param headers the request's headers by name, for a sticky header
	 * @throws io.servinglayer.gateway.system.GatewayProblem 404 when the model or the
	 * named version is not served
	 */
	public ModelRequest route(Endpoint endpoint, String model, String versionText, String clientId,
			UnaryOperator<String> headers) {
		RoutingTable table = this.routing.table();
		Deployment deployment = table.deployment(model);
		if (deployment == null) {
			throw new ModelNotFoundException(model);
		}
		int version;
		if (endpoint == Endpoint.INFER_PINNED) {
			version = pinned(deployment, versionText);
		}
		else {
			version = VersionChoice.choose(deployment, stickyValue(deployment, headers, clientId), this.random);
			if (deployment.canary() != null && version == deployment.canary()
					&& !this.warm.isWarm(deployment.name(), version)) {
				this.canaryFallbacks.apply(deployment.name()).increment();
				version = deployment.stable();
			}
			if (version == deployment.stable() && !this.warm.isWarm(deployment.name(), version)) {
				Integer previous = table.previousStable(deployment.name());
				if (previous != null && this.warm.isWarm(deployment.name(), previous)) {
					this.stableFallbacks.apply(deployment.name()).increment();
					version = previous;
				}
			}
		}
		return new ModelRequest(deployment, version, endpoint, clientId);
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

	private static String stickyValue(Deployment deployment, UnaryOperator<String> headers, String clientId) {
		String sticky = deployment.stickyKey();
		if ("client".equals(sticky)) {
			return clientId;
		}
		if (sticky != null && sticky.startsWith("header:")) {
			String value = headers.apply(sticky.substring("header:".length()));
			return (value != null && !value.isEmpty()) ? value : null;
		}
		return null;
	}

	/**
	 * One counter per deployment, looked up in a map rather than registered per request.
	 */
	private static Function<String, Counter> counters(MeterRegistry meters, String name, String description) {
		ConcurrentHashMap<String, Counter> byModel = new ConcurrentHashMap<>();
		return (model) -> byModel.computeIfAbsent(model,
				(key) -> Counter.builder(name).description(description).tag("model", key).register(meters));
	}

}
