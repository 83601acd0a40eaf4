package io.servinglayer.controlplane.client;

import java.util.List;

/**
 * What the gateway needs to know of a client: who it is, what it may call, and its rate
 * plan.
 */
public record ClientRoute(String clientId, String tenant, List<String> scopes, RatePlan ratePlan, boolean disabled) {
}
