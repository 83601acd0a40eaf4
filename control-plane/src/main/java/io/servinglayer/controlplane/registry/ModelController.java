package io.servinglayer.controlplane.registry;

import java.net.URI;

import io.servinglayer.controlplane.system.EntityTags;
import io.servinglayer.controlplane.system.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models", description = "Registered models: names under which numbered, immutable versions are uploaded")
class ModelController {

	private final ModelService service;

	ModelController(ModelService service) {
		this.service = service;
	}

	@PostMapping
	@Operation(summary = "Register a model", description = "The name is a DNS label. Honours Idempotency-Key.")
	ResponseEntity<ModelResponse> create(@RequestBody CreateModelRequest request) {
		Model model = this.service.create(request);
		return ResponseEntity.created(URI.create("/api/v1/models/" + model.name()))
			.eTag(EntityTags.quote(model.entityTag()))
			.body(ModelResponse.of(model));
	}

	@GetMapping
	@Operation(summary = "List models by name",
			description = "Archived models are left out unless includeArchived=true.")
	Page<ModelResponse> list(
			@RequestParam(required = false) @Parameter(
					description = "a tag key (team), or key:value (team:fraud)") String tag,
			@RequestParam(defaultValue = "false") boolean includeArchived,
			@RequestParam(required = false) Integer pageSize, @RequestParam(required = false) String pageToken) {
		return this.service.list(tag, includeArchived, pageSize, pageToken).map(ModelResponse::of);
	}

	@GetMapping("/{model}")
	@Operation(summary = "Get a model", description = "The ETag goes in If-Match of a later PATCH.")
	ResponseEntity<ModelResponse> get(@PathVariable String model) {
		return withTag(this.service.get(model));
	}

	@PatchMapping(path = "/{model}", consumes = { "application/merge-patch+json", "application/json" })
	@Operation(summary = "Change a model's description, owner or tags",
			description = "A JSON merge patch; needs If-Match with the ETag of a GET (428 without, 412 when stale).")
	ResponseEntity<ModelResponse> update(@PathVariable String model,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			@RequestBody UpdateModelRequest request) {
		return withTag(this.service.update(model, ifMatch, request));
	}

	@PostMapping("/{model}:archive")
	@Operation(summary = "Archive a model",
			description = "An archived model keeps its versions but takes no new ones. Archiving twice changes nothing. "
					+ "If-Match is checked when sent.")
	ResponseEntity<ModelResponse> archive(@PathVariable String model,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
		return withTag(this.service.archive(model, ifMatch));
	}

	private static ResponseEntity<ModelResponse> withTag(Model model) {
		return ResponseEntity.ok().eTag(EntityTags.quote(model.entityTag())).body(ModelResponse.of(model));
	}

}
