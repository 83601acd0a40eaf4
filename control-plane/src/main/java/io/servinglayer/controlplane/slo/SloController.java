package io.servinglayer.controlplane.slo;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import io.servinglayer.controlplane.system.EntityTags;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "SLOs",
		description = "Service level objectives of deployments, and the Prometheus rules that alert on them")
class SloController {

	/** A Prometheus rule file's media type (RFC 9512). */
	static final String APPLICATION_YAML = "application/yaml";

	private final Slos slos;

	SloController(Slos slos) {
		this.slos = slos;
	}

	@PutMapping("/deployments/{name}/slos")
	@Operation(summary = "Set a deployment's SLOs",
			description = "The body's objectives replace the deployment's whole list. Creating needs no If-Match; "
					+ "replacing needs the ETag of a GET (428 without, 412 when stale). The same objectives again "
					+ "change nothing.")
	ResponseEntity<DeploymentSlos> put(@PathVariable String name,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch, @RequestBody SloSpec spec) {
		Slos.PutOutcome outcome = this.slos.put(name, ifMatch, spec);
		if (outcome.created()) {
			return ResponseEntity.created(URI.create("/api/v1/deployments/" + name + "/slos"))
				.eTag(EntityTags.quote(Long.toString(outcome.slos().revision())))
				.body(outcome.slos());
		}
		return withTag(outcome.slos());
	}

	@GetMapping("/deployments/{name}/slos")
	@Operation(summary = "Get a deployment's SLOs", description = "The ETag goes in If-Match of a later PUT.")
	ResponseEntity<DeploymentSlos> get(@PathVariable String name) {
		return withTag(this.slos.get(name));
	}

	@GetMapping(path = "/slos/prometheus-rules", produces = APPLICATION_YAML)
	@Operation(summary = "Prometheus recording and alerting rules for every deployment's SLOs",
			description = "A rule file (load it with rule_files): per objective, its error ratio over 5m to 3d and "
					+ "multiwindow, multi-burn-rate alerts SloErrorBudgetBurn with severity page or ticket.")
	ResponseEntity<String> prometheusRules() {
		return ResponseEntity.ok()
			.contentType(new MediaType("application", "yaml", StandardCharsets.UTF_8))
			.body(this.slos.prometheusRules());
	}

	private static ResponseEntity<DeploymentSlos> withTag(DeploymentSlos slos) {
		return ResponseEntity.ok().eTag(EntityTags.quote(Long.toString(slos.revision()))).body(slos);
	}

}
