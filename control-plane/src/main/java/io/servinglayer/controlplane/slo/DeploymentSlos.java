package io.servinglayer.controlplane.slo;

import java.time.Instant;
import java.util.List;

/**
 * A deployment's SLOs as stored and shown.
 *
 * @param deployment the deployment they belong to
 * @param objectives its objectives, in the order they were given
 * @param revision their revision, 1 at creation and one more at each change: the ETag
 * @param updatedBy who made the last change
 * @param updatedAt when
 */
public record DeploymentSlos(String deployment, List<Objective> objectives, long revision, String updatedBy,
		Instant updatedAt) {

	public DeploymentSlos {
		objectives = List.copyOf(objectives);
	}

}
