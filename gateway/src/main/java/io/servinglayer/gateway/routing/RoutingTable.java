package io.servinglayer.gateway.routing;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * What the gateway routes by at one revision, read from the control plane's snapshot:
 * deployments by name and clients by id. Immutable; a new revision makes a new table.
 */
public final class RoutingTable {

	private static final Logger logger = LoggerFactory.getLogger(RoutingTable.class);

	static final RoutingTable EMPTY = new RoutingTable(-1, Map.of(), Map.of());

	private final long revision;

	private final Map<String, Deployment> deployments;

	private final Map<String, Client> clients;

	private final Map<String, Integer> previousStable;

	RoutingTable(long revision, Map<String, Deployment> deployments, Map<String, Client> clients) {
		this(revision, deployments, clients, Map.of());
	}

	private RoutingTable(long revision, Map<String, Deployment> deployments, Map<String, Client> clients,
			Map<String, Integer> previousStable) {
		this.revision = revision;
		this.deployments = Map.copyOf(deployments);
		this.clients = Map.copyOf(clients);
		this.previousStable = Map.copyOf(previousStable);
	}

	/**
	 * This table, remembering for each deployment the stable version it had before its
	 * stable version last changed, as {@code before} knew it. A deployment whose stable
	 * version did not change keeps what {@code before} remembered, so a second change
	 * before the first is warm still falls back to a version that was warm.
	 */
	RoutingTable after(RoutingTable before) {
		Map<String, Integer> previous = new HashMap<>();
		for (Deployment deployment : this.deployments.values()) {
			Deployment earlier = before.deployment(deployment.name());
			if (earlier == null) {
				continue;
			}
			if (earlier.stable() != deployment.stable()) {
				previous.put(deployment.name(), earlier.stable());
			}
			else if (before.previousStable.containsKey(deployment.name())) {
				previous.put(deployment.name(), before.previousStable.get(deployment.name()));
			}
		}
		return new RoutingTable(this.revision, this.deployments, this.clients, previous);
	}

	/**
	 * The table of a snapshot. A row that makes no sense (a deployment without a stable
	 * version or with {@code timeoutMs <= 0}, a client with an impossible rate plan) is
	 * left out and logged; the rest of the snapshot still applies.
	 */
	static RoutingTable from(JsonNode snapshot) {
		long revision = snapshot.path("revision").asLong(-1);
		Map<String, Deployment> deployments = new HashMap<>();
		for (JsonNode node : snapshot.path("deployments")) {
			try {
				Deployment deployment = deployment(node);
				deployments.put(deployment.name(), deployment);
			}
			catch (RuntimeException ex) {
				logger.warn("Skipping deployment '{}' of routing revision {}: {}", node.path("name").asString(""),
						revision, ex.getMessage());
			}
		}
		Map<String, Client> clients = new HashMap<>();
		for (JsonNode node : snapshot.path("clients")) {
			try {
				Client client = client(node);
				clients.put(client.clientId(), client);
			}
			catch (RuntimeException ex) {
				logger.warn("Skipping client '{}' of routing revision {}: {}", node.path("clientId").asString(""),
						revision, ex.getMessage());
			}
		}
		return new RoutingTable(revision, deployments, clients);
	}

	private static Deployment deployment(JsonNode node) {
		String name = node.path("name").asString("");
		if (name.isEmpty()) {
			throw new IllegalArgumentException("no name");
		}
		Integer stable = version(node.path("stable"));
		if (stable == null) {
			throw new IllegalArgumentException("no stable version");
		}
		int timeoutMs = node.path("timeoutMs").asInt(2000);
		if (timeoutMs <= 0) {
			throw new IllegalArgumentException("timeoutMs must be positive, got " + timeoutMs);
		}
		int canaryWeight = node.path("canaryWeightBasisPoints").asInt(0);
		int shadowPercent = node.path("shadowPercent").asInt(0);
		if (canaryWeight < 0 || canaryWeight > 10_000 || shadowPercent < 0 || shadowPercent > 100) {
			throw new IllegalArgumentException("canaryWeightBasisPoints must be 0..10000 and shadowPercent 0..100");
		}
		return new Deployment(name, node.path("pool").asString("default"), stable, version(node.path("canary")),
				canaryWeight, version(node.path("shadow")), shadowPercent, node.path("stickyKey").asString("client"),
				node.path("salt").asString(""), timeoutMs);
	}

	private static Client client(JsonNode node) {
		String clientId = node.path("clientId").asString("");
		if (clientId.isEmpty()) {
			throw new IllegalArgumentException("no clientId");
		}
		Set<String> scopes = new HashSet<>();
		node.path("scopes").forEach((scope) -> scopes.add(scope.asString()));
		JsonNode plan = node.path("ratePlan");
		RatePlan ratePlan = plan.isObject()
				? new RatePlan(plan.path("requestsPerSecond").asDouble(50), plan.path("burst").asInt(100),
						plan.path("dailyQuota").isNumber() ? plan.path("dailyQuota").asLong() : null)
				: RatePlan.DEFAULT;
		return new Client(clientId, Set.copyOf(scopes), ratePlan, node.path("disabled").asBoolean(false));
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

	/**
	 * The stable version this deployment had before its stable version last changed, or
	 * {@code null}: where stable traffic goes while no instance has the new stable
	 * version warm.
	 */
	public Integer previousStable(String deployment) {
		return this.previousStable.get(deployment);
	}

	/** The client, or {@code null} when the snapshot does not list it. */
	public Client client(String clientId) {
		return this.clients.get(clientId);
	}

	/** A client as the snapshot lists it. */
	public record Client(String clientId, Set<String> scopes, RatePlan ratePlan, boolean disabled) {
	}

}
