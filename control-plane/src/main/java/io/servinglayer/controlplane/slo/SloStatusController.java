package io.servinglayer.controlplane.slo;

import io.servinglayer.controlplane.system.InvalidParameterException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
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

	@GetMapping("/api/v1/deployments/{name}/slo-status/history")
	@Operation(summary = "How the error budget stood over the window",
			description = "Per availability and latency objective and per version routed to now: the share of the "
					+ "error budget left at evenly spaced moments over the objective's last window, each over the "
					+ "window that ends there, as the SLO status would have said then. points: 2 to 100, default 24.")
	SloHistory history(@PathVariable String name,
			@RequestParam(required = false) @Parameter(description = "how many moments, 2 to 100") String points) {
		int count = 24;
		if (points != null) {
			try {
				count = Integer.parseInt(points);
			}
			catch (NumberFormatException ex) {
				count = -1;
			}
			if (count < 2 || count > 100) {
				throw new InvalidParameterException("points", "must be a whole number from 2 to 100");
			}
		}
		return this.statuses.history(name, count);
	}

}
