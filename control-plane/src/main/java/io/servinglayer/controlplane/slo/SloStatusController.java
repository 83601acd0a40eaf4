package io.servinglayer.controlplane.slo;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "SLOs")
class SloStatusController {

	private final SloStatuses statuses;

	SloStatusController(SloStatuses statuses) {
		this.statuses = statuses;
	}

	@GetMapping("/api/v1/deployments/{name}/slo-status")
	@Operation(summary = "Where the deployment stands against its SLOs",
			description = "Per objective and per version routed to now: the SLI and the error budget left over the "
					+ "objective's window, and burn rates over 5m, 30m, 1h, 6h and 3d, from the gateways' outcome "
					+ "counters (rolled up per minute into PostgreSQL by the leader; the last minute read from Redis).")
	SloStatus status(@PathVariable String name) {
		return this.statuses.of(name);
	}

}
