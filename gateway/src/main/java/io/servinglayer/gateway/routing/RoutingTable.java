package io.servinglayer.gateway.routing;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.servinglayer.contracts.RoutingSnapshot;
import io.servinglayer.contracts.SnapshotJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * What the gateway routes by at one revision, read from the control plane's snapshot (the
 * contract's records): deployments by name and clients by id. Immutable; a new revision
 * makes a new table.
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
	 * The table of a snapshot. A row that makes no sense (a deployment without a name or
	 * a stable version, or with {@code timeoutMs <= 0}, a client with an impossible rate
	 * plan) is left out and logged; the rest of the snapshot still applies. Runs once per
	 * revision, so the per-request reads of the table stay plain map lookups.
	 */
	static RoutingTable from(RoutingSnapshot snapshot) {
		long revision = snapshot.revision();
		Map<String, Deployment> deployments = new HashMap<>();
		for (RoutingSnapshot.Deployment row : snapshot.deployments()) {
			try {
				Deployment deployment = deployment(row);
				deployments.put(deployment.name(), deployment);
			}
			catch (RuntimeException ex) {
				logger.warn("Skipping deployment '{}' of routing revision {}: {}", row.name(), revision,
						ex.getMessage());
			}
		}
		Map<String, Client> clients = new HashMap<>();
		for (RoutingSnapshot.Client row : snapshot.clients()) {
			try {
				Client client = client(row);
				clients.put(client.clientId(), client);
			}
			catch (RuntimeException ex) {
				logger.warn("Skipping client '{}' of routing revision {}: {}", row.clientId(), revision,
						ex.getMessage());
			}
		}
		return new RoutingTable(revision, deployments, clients);
	}

	/** The table of a snapshot's JSON, read as the routing follower reads it. */
	static RoutingTable from(JsonNode snapshot) {
		return from(SnapshotJson.mapper().treeToValue(snapshot, RoutingSnapshot.class));
	}

	private static Deployment deployment(RoutingSnapshot.Deployment row) {
		if (row.name() == null || row.name().isEmpty()) {
			throw new IllegalArgumentException("no name");
		}
		Integer stable = version(row.stable());
		if (stable == null) {
			throw new IllegalArgumentException("no stable version");
		}
		if (row.timeoutMs() <= 0) {
			throw new IllegalArgumentException("timeoutMs must be positive, got " + row.timeoutMs());
		}
		if (row.canaryWeightBasisPoints() < 0 || row.canaryWeightBasisPoints() > 10_000 || row.shadowPercent() < 0
				|| row.shadowPercent() > 100) {
			throw new IllegalArgumentException("canaryWeightBasisPoints must be 0..10000 and shadowPercent 0..100");
		}
		return new Deployment(row.name(), row.pool(), stable, version(row.canary()), row.canaryWeightBasisPoints(),
				version(row.shadow()), row.shadowPercent(), row.stickyKey(), row.salt(), row.timeoutMs());
	}

	private static Client client(RoutingSnapshot.Client row) {
		if (row.clientId() == null || row.clientId().isEmpty()) {
			throw new IllegalArgumentException("no clientId");
		}
		RoutingSnapshot.RatePlan plan = row.ratePlan();
		return new Client(row.clientId(), Set.copyOf(row.scopes()),
				new RatePlan(plan.requestsPerSecond(), plan.burst(), plan.dailyQuota()), row.disabled());
	}

	/**
	 * The version's number, or {@code null} when there is no version a client could get.
	 */
	private static Integer version(RoutingSnapshot.Version route) {
		return (route != null && route.version() > 0) ? route.version() : null;
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
