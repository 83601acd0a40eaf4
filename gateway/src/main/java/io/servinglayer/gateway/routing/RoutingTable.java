package io.servinglayer.gateway.routing;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.servinglayer.gateway.ratelimit.RatePlan;
import tools.jackson.databind.JsonNode;

/**
 * What the gateway routes by at one revision, read from the control plane's snapshot:
 * deployments by name and clients by id. Immutable; a new revision makes a new table.
 */
public final class RoutingTable {

	static final RoutingTable EMPTY = new RoutingTable(-1, Map.of(), Map.of());

	private final long revision;

	private final Map<String, Deployment> deployments;

	private final Map<String, Client> clients;

	RoutingTable(long revision, Map<String, Deployment> deployments, Map<String, Client> clients) {
		this.revision = revision;
		this.deployments = Map.copyOf(deployments);
		this.clients = Map.copyOf(clients);
	}

	static RoutingTable from(JsonNode snapshot) {
		Map<String, Deployment> deployments = new HashMap<>();
		for (JsonNode node : snapshot.path("deployments")) {
			JsonNode canary = node.path("canary");
			JsonNode shadow = node.path("shadow");
			Deployment deployment = new Deployment(node.path("name").asString(), node.path("pool").asString("default"),
					node.path("stable").path("version").asInt(), version(canary),
					node.path("canaryWeightBasisPoints").asInt(0), version(shadow), node.path("shadowPercent").asInt(0),
					node.path("stickyKey").asString("client"), node.path("salt").asString(""),
					node.path("timeoutMs").asInt(2000));
			deployments.put(deployment.name(), deployment);
		}
		Map<String, Client> clients = new HashMap<>();
		for (JsonNode node : snapshot.path("clients")) {
			Set<String> scopes = new HashSet<>();
			node.path("scopes").forEach((scope) -> scopes.add(scope.asString()));
			JsonNode plan = node.path("ratePlan");
			RatePlan ratePlan = plan.isObject()
					? new RatePlan(plan.path("requestsPerSecond").asDouble(50), plan.path("burst").asInt(100),
							plan.path("dailyQuota").isNumber() ? plan.path("dailyQuota").asLong() : null)
					: RatePlan.DEFAULT;
			Client client = new Client(node.path("clientId").asString(), Set.copyOf(scopes), ratePlan,
					node.path("disabled").asBoolean(false));
			clients.put(client.clientId(), client);
		}
		return new RoutingTable(snapshot.path("revision").asLong(-1), deployments, clients);
	}

	private static Integer version(JsonNode route) {
		return (route.isObject() && route.path("version").isNumber()) ? route.path("version").asInt() : null;
	}

	public long revision() {
		return this.revision;
	}

	public Deployment deployment(String name) {
		return this.deployments.get(name);
	}

	public Iterable<Deployment> deployments() {
		return this.deployments.values();
	}

	/** The client, or {@code null} when the snapshot does not list it. */
	public Client client(String clientId) {
		return this.clients.get(clientId);
	}

	/** A client as the snapshot lists it. */
	public record Client(String clientId, Set<String> scopes, RatePlan ratePlan, boolean disabled) {
	}

}
