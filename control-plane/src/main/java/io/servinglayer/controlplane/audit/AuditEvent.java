package io.servinglayer.controlplane.audit;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * One change to the control plane's state: who ({@code actor}) did what ({@code action},
 * such as {@code model.created}) to which thing ({@code targetType} and {@code target}),
 * what it looked like before and after (absent for creations and deletions), and the
 * request that did it.
 */
public record AuditEvent(long id, Instant occurredAt, String actor, String action, String targetType, String target,
		JsonNode before, JsonNode after, String requestId) {
}
