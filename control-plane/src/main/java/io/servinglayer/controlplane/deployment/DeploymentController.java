package io.servinglayer.controlplane.deployment;

import java.net.URI;
import java.util.List;

import io.servinglayer.controlplane.system.EntityTags;
import io.servinglayer.controlplane.system.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Deployments",
		description = "The desired state of each served endpoint: model, versions, weights, timeouts")
class DeploymentController {

	private final DeploymentService service;

	DeploymentController(DeploymentService service) {
		this.service = service;
	}

	@PutMapping("/deployments/{name}")
	@Operation(summary = "Create or replace a deployment",
			description = "Creating needs no If-Match; replacing needs the ETag of a GET (428 without, 412 when stale). "
					+ "With dryRun=true the answer is the list of changes and nothing changes. Every change bumps the "
					+ "routing revision.")
	ResponseEntity<?> put(@PathVariable String name,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			@RequestParam(defaultValue = "false") boolean dryRun, @RequestBody DeploymentSpec spec) {
		if (dryRun) {
			return ResponseEntity.ok(this.service.dryRun(name, spec));
		}
		DeploymentService.PutOutcome outcome = this.service.put(name, ifMatch, spec);
		Deployment deployment = outcome.deployment();
		if (outcome.created()) {
			return ResponseEntity.created(URI.create("/api/v1/deployments/" + name))
				.eTag(EntityTags.quote(Long.toString(deployment.revision())))
				.body(DeploymentResponse.of(deployment));
		}
		return withTag(deployment);
	}

	@GetMapping("/deployments")
	@Operation(summary = "List deployments by name")
	Page<DeploymentResponse> list(@RequestParam(required = false) Integer pageSize,
			@RequestParam(required = false) String pageToken) {
		return this.service.list(pageSize, pageToken).map(DeploymentResponse::of);
	}

	@GetMapping("/deployments/{name}")
	@Operation(summary = "Get a deployment", description = "The ETag goes in If-Match of a later PUT.")
	ResponseEntity<DeploymentResponse> get(@PathVariable String name) {
		return withTag(this.service.get(name));
	}

	@GetMapping("/deployments/{name}/history")
	@Operation(summary = "Earlier states of a deployment, newest first")
	List<DeploymentHistoryEntry> history(@PathVariable String name) {
		return this.service.history(name);
	}

	@PostMapping("/deployments/{name}:rollback")
	@Operation(summary = "Restore the state before the current one",
			description = "Recorded as a new change with a new revision. If-Match is checked when sent.")
	ResponseEntity<DeploymentResponse> rollback(@PathVariable String name,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
		return withTag(this.service.rollback(name, ifMatch));
	}

	private static ResponseEntity<DeploymentResponse> withTag(Deployment deployment) {
		return ResponseEntity.ok()
			.eTag(EntityTags.quote(Long.toString(deployment.revision())))
			.body(DeploymentResponse.of(deployment));
	}

}
