package io.servinglayer.controlplane.deployment;

/**
 * Published inside the transaction that changed a deployment, so a listener's own writes
 * commit or roll back with the change.
 *
 * @param before the spec before, {@code null} when the deployment was created
 * @param steered whether the control plane made the change itself (a rollout's step)
 * rather than a person or a pipeline through the API
 */
public record DeploymentChanged(String name, DeploymentSpec before, DeploymentSpec after, String actor,
		boolean steered) {
}
