package io.servinglayer.routingclient;

import java.time.Instant;

import io.servinglayer.contracts.RoutingSnapshot;

/**
 * A routing snapshot as a follower holds it: the control plane's snapshot, read into the
 * contract's records (absent members at their defaults), and where it came from
 * ({@code control-plane} or {@code disk}).
 */
public record FollowedSnapshot(RoutingSnapshot snapshot, String source, Instant receivedAt) {

	public long revision() {
		return this.snapshot.revision();
	}

}
