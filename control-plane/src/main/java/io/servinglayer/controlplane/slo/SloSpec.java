package io.servinglayer.controlplane.slo;

import java.util.List;

/**
 * A deployment's SLOs as {@code PUT /api/v1/deployments/{name}/slos} takes them: the
 * whole list, which replaces the one before.
 *
 * @param objectives 1 to 20 objectives with distinct names
 */
public record SloSpec(List<Objective> objectives) {
}
