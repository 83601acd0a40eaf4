package io.servinglayer.controlplane.deploymentstatus;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Deployments")
class DeploymentStatusController {

	private final DeploymentStatuses statuses;

	DeploymentStatusController(DeploymentStatuses statuses) {
		this.statuses = statuses;
	}

	@GetMapping("/deployments/{name}/status")
	@Operation(summary = "What the inference instances report for a deployment",
			description = "The observed state, apart from the spec: each live instance of the deployment's pool with "
					+ "the state of the deployment's versions there (loading, warm, or failed with a reason), and per "
					+ "version its role in the spec and how many instances have it warm, loading or failed. Read "
					+ "from the instances' announcements in Redis; 503 deployment-status-unavailable when Redis "
					+ "does not answer.")
	DeploymentStatus status(@PathVariable String name) {
		return this.statuses.of(name);
	}

}
