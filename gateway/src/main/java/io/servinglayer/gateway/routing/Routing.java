package io.servinglayer.gateway.routing;

import java.util.LinkedHashSet;
import java.util.Set;

import io.servinglayer.routingclient.FollowedSnapshot;

/**
 * The routing table in force. It changes when the follower hears of a newer revision;
 * readers always see one whole table.
 */
public final class Routing {

	private volatile RoutingTable table = RoutingTable.EMPTY;

	private volatile boolean held;

	public RoutingTable table() {
		return this.table;
	}

	/** Whether any snapshot is held, from the control plane or from disk. */
	public boolean ready() {
		return this.held;
	}

	/** The instance pools the held deployments run in. */
	public Set<String> pools() {
		Set<String> pools = new LinkedHashSet<>();
		for (Deployment deployment : this.table.deployments()) {
			pools.add(deployment.pool());
		}
		return pools;
	}

	void accept(FollowedSnapshot snapshot) {
		this.table = RoutingTable.from(snapshot.snapshot()).after(this.table);
		this.held = true;
	}

	/** For tests and for a gateway run without a control plane. */
	public void replace(RoutingTable table) {
		this.table = table.after(this.table);
		this.held = true;
	}

}
