package io.servinglayer.controlplane.registry;

import java.io.IOException;
import java.net.URI;

import io.servinglayer.controlplane.system.EntityTags;
import io.servinglayer.controlplane.system.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/v1/models/{model}/versions")
@Tag(name = "Model versions", description = "Immutable, numbered ONNX artifacts of a model, with their signatures")
class ModelVersionController {

	private final ModelVersionService service;

	ModelVersionController(ModelVersionService service) {
		this.service = service;
	}

	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@Operation(summary = "Upload a new version",
			description = "Multipart: 'artifact' is the .onnx file, 'metadata' optional JSON (label, description, labels, "
					+ "trainingMetrics, featureBinding, baseline). The control plane hashes the file, reads its signature "
					+ "with ONNX Runtime and numbers the version. 400 when a part is sent twice, 413 over the size limit, "
					+ "422 when ONNX Runtime cannot load it, the feature binding disagrees or the baseline is invalid. "
					+ "Honours Idempotency-Key.")
	ResponseEntity<ModelVersion> upload(@PathVariable String model,
			@RequestPart("artifact") @Parameter(description = "the ONNX model file") MultipartFile artifact,
			@RequestPart(name = "metadata", required = false) String metadata, HttpServletRequest request)
			throws IOException, ServletException {
		DuplicatePartException.requireOnce(request.getParts(), "artifact", "metadata");
		ModelVersion version = this.service.register(model, artifact, metadata);
		return ResponseEntity.created(URI.create("/api/v1/models/" + model + "/versions/" + version.version()))
			.body(version);
	}

	@GetMapping
	@Operation(summary = "List a model's versions, oldest first",
			description = "Archived versions are left out unless includeArchived=true.")
	Page<ModelVersion> list(@PathVariable String model, @RequestParam(defaultValue = "false") boolean includeArchived,
			@RequestParam(required = false) Integer pageSize, @RequestParam(required = false) String pageToken) {
		return this.service.list(model, includeArchived, pageSize, pageToken);
	}

	@GetMapping("/{version}")
	@Operation(summary = "Get a version with its signature")
	ModelVersion get(@PathVariable String model, @PathVariable int version) {
		return this.service.get(model, version);
	}

	@GetMapping("/{version}/baseline")
	@Operation(summary = "Get a version's training baseline",
			description = "Per input feature, the bin edges and the share of training values in each bin, with the "
					+ "input column the feature fills; inference instances read it when they load the version and "
					+ "export input drift against it. 404 baseline-not-found when the version was registered without one. "
					+ "Needs routing:read, registry:read or deploy.")
	VersionBaseline baseline(@PathVariable String model, @PathVariable int version) {
		return this.service.baseline(model, version);
	}

	@GetMapping(path = "/{version}/artifact", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
	@Operation(summary = "Download a version's ONNX file",
			description = "ETag is the SHA-256 digest; with a matching If-None-Match the answer is 304 and no body.")
	void artifact(@PathVariable String model, @PathVariable int version,
			@RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
			HttpServletResponse response) throws IOException {
		ModelVersion found = this.service.get(model, version);
		response.setHeader(HttpHeaders.ETAG, EntityTags.quote(found.digest()));
		response.setHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=31536000, immutable");
		if (ifNoneMatch != null && EntityTags.matches(ifNoneMatch, found.digest())) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return;
		}
		response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
		response.setContentLengthLong(found.sizeBytes());
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
				"attachment; filename=\"" + model + "-" + version + ".onnx\"");
		this.service.copyArtifact(found, response.getOutputStream());
	}

	@PostMapping("/{version}:archive")
	@Operation(summary = "Archive a version",
			description = "An archived version stays readable but can no longer be deployed. Archiving twice changes nothing.")
	ModelVersion archive(@PathVariable String model, @PathVariable int version) {
		return this.service.archive(model, version);
	}

}
