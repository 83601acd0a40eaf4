package io.servinglayer.controlplane.featureviewstatus;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Feature views")
class FeatureViewStatusController {

	private final FeatureViewStatuses statuses;

	FeatureViewStatusController(FeatureViewStatuses statuses) {
		this.statuses = statuses;
	}

	@GetMapping("/feature-views/{name}/status")
	@Operation(summary = "How the inference instances use a feature view",
			description = "Per version of the view: the model versions bound to it (archived ones left out), the "
					+ "deployments routing them now, and what the live instances of those deployments' pools measured "
					+ "reading its online rows, added up and per instance: cache hits and misses and the hit ratio, "
					+ "rows read, their mean age when read, and the oldest row read since each instance's previous "
					+ "announcement. Counts run from each instance's start. Read from the instances' announcements in "
					+ "Redis; 503 feature-view-status-unavailable when Redis does not answer.")
	FeatureViewStatus status(@PathVariable String name) {
		return this.statuses.of(name);
	}

}
