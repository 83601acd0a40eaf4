package io.servinglayer.routingclient;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * A routing snapshot as a follower holds it: the control plane's JSON document, its
 * revision, and where it came from ({@code control-plane} or {@code disk}).
 */
public record FollowedSnapshot(long revision, JsonNode document, String source, Instant receivedAt) {
}
