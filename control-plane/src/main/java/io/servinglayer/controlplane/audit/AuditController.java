package io.servinglayer.controlplane.audit;

import java.time.Instant;

import io.servinglayer.controlplane.system.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "Audit", description = "Every change to the control plane, with who made it and what it changed")
class AuditController {

	private final AuditRepository repository;

	AuditController(AuditRepository repository) {
		this.repository = repository;
	}

	@GetMapping
	@Operation(summary = "List audit events, newest first",
			description = "Filters combine with AND. Page with pageSize and the nextPageToken of the previous page.")
	Page<AuditEvent> list(@RequestParam(required = false) String actor,
			@RequestParam(required = false) @Parameter(description = "e.g. model.created") String action,
			@RequestParam(required = false) @Parameter(description = "e.g. model, model-version") String targetType,
			@RequestParam(required = false) String target,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant since,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant until,
			@RequestParam(required = false) Integer pageSize, @RequestParam(required = false) String pageToken) {
		int size = Page.size(pageSize);
		Long beforeId = Page.decodeNumber(pageToken);
		return Page.of(this.repository.find(new AuditQuery(actor, action, targetType, target, since, until), beforeId,
				size + 1), size, (event) -> Long.toString(event.id()));
	}

}
