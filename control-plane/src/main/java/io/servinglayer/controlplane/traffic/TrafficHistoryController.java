package io.servinglayer.controlplane.traffic;

import java.time.Duration;

import io.servinglayer.controlplane.system.InvalidParameterException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Deployments")
class TrafficHistoryController {

	private final TrafficHistories histories;

	TrafficHistoryController(TrafficHistories histories) {
		this.histories = histories;
	}

	@GetMapping("/api/v1/deployments/{name}/traffic/history")
	@Operation(summary = "A deployment's traffic over time, per version",
			description = "Per version the deployment routes to now (stable, canary, shadow): requests, errors, "
					+ "timeouts, request rate, error rate and p99 latency in equal intervals over the last minutes, "
					+ "from the gateways' outcome counters (Redis's 10-second buckets over the hours it keeps "
					+ "them, the minutes rolled up into PostgreSQL before). Each interval is a whole number of "
					+ "buckets (whole minutes past the hours Redis keeps), so there are fewer points than asked "
					+ "when the window holds fewer; the last interval ends where the bucket still being filled "
					+ "starts. p99Ms is estimated from the gateways' latency buckets (25, 50, 100, 200, 500, 1000, "
					+ "2500, 5000 ms by default) as Prometheus's histogram_quantile does, so it is only as fine as "
					+ "those bounds, and the highest bound when it lies above it. minutes: 5 to 1440, default 60; "
					+ "points: 2 to 120, default 60; anything else is 400 invalid-parameter.")
	TrafficHistory history(@PathVariable String name,
			@RequestParam(required = false) @Parameter(
					description = "how far back, in minutes: 5 to 1440") String minutes,
			@RequestParam(required = false) @Parameter(
					description = "at most how many points: 2 to 120") String points) {
		int window = whole("minutes", minutes, 60, 5, 1440);
		int count = whole("points", points, 60, 2, 120);
		return this.histories.of(name, Duration.ofMinutes(window), count);
	}

	private static int whole(String parameter, String text, int fallback, int min, int max) {
		if (text == null) {
			return fallback;
		}
		int value;
		try {
			value = Integer.parseInt(text);
		}
		catch (NumberFormatException ex) {
			value = min - 1;
		}
		if (value < min || value > max) {
			throw new InvalidParameterException(parameter, "must be a whole number from " + min + " to " + max);
		}
		return value;
	}

}
