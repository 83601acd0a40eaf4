package io.servinglayer.controlplane.rollout;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.servinglayer.controlplane.system.InvalidParameterException;
import io.servinglayer.controlplane.system.Page;
import io.servinglayer.controlplane.system.TooManyWaitersException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

@RestController
@RequestMapping("/api/v1/deployments/{name}")
@Tag(name = "Rollouts", description = "A canary moved through weight steps by the control plane, judged at each "
		+ "step against the stable version, promoted or rolled back on the evidence")
class RolloutController {

	private static final Pattern WAIT = Pattern.compile("(\\d{1,4})(s|m)?");

	private final RolloutService service;

	private final RolloutWaiters waiters;

	private final RolloutProperties properties;

	RolloutController(RolloutService service, RolloutWaiters waiters, RolloutProperties properties) {
		this.service = service;
		this.waiters = waiters;
		this.properties = properties;
	}

	@PostMapping("/rollouts")
	@Operation(summary = "Start a rollout",
			description = "Puts the version on the deployment as a canary at weight 0 and answers 201 with the "
					+ "rollout (state Pending). The leader applies the first step once the canary is warm. 409 when "
					+ "the deployment already has a rollout that has not ended.")
	ResponseEntity<Rollout.View> start(@PathVariable String name, @RequestBody RolloutRequest request) {
		Rollout.View rollout = this.service.start(name, request);
		return ResponseEntity.created(URI.create("/api/v1/deployments/" + name + "/rollouts/" + rollout.id()))
			.body(rollout);
	}

	@GetMapping("/rollouts")
	@Operation(summary = "The deployment's rollouts, newest first")
	Page<Rollout.View> list(@PathVariable String name, @RequestParam(required = false) Integer pageSize,
			@RequestParam(required = false) String pageToken) {
		return this.service.list(name, pageSize, pageToken);
	}

	@GetMapping("/rollouts/{id}")
	@Operation(summary = "A rollout with its decisions",
			description = "With wait=300s (or 5m, at most 10m) the answer waits until the rollout ends "
					+ "(Promoted, RolledBack or Aborted) or the wait is over, and then shows it as it stands.")
	DeferredResult<Rollout.View> get(@PathVariable String name, @PathVariable long id, @RequestParam(
			required = false) @Parameter(description = "how long to wait for the end, e.g. 300s") String wait) {
		Rollout.View rollout = this.service.get(name, id);
		Duration waitFor = parseWait(wait);
		if (waitFor.isZero() || rollout.state().isFinal()) {
			DeferredResult<Rollout.View> now = new DeferredResult<>();
			now.setResult(rollout);
			return now;
		}
		DeferredResult<Rollout.View> waiting = this.waiters.await(name, id, waitFor);
		if (waiting == null) {
			throw new TooManyWaitersException(
					"Too many callers are waiting on rollouts at this control plane; retry in a few seconds");
		}
		return waiting;
	}

	@PostMapping("/rollouts/{id}:promote")
	@Operation(summary = "Make the canary the stable version now, skipping the remaining steps")
	Rollout.View promote(@PathVariable String name, @PathVariable long id) {
		return this.service.act(name, id, "promote");
	}

	@PostMapping("/rollouts/{id}:pause")
	@Operation(summary = "Hold the rollout at its current weight")
	Rollout.View pause(@PathVariable String name, @PathVariable long id) {
		return this.service.act(name, id, "pause");
	}

	@PostMapping("/rollouts/{id}:resume")
	@Operation(summary = "Go on from a pause: the current step starts again")
	Rollout.View resume(@PathVariable String name, @PathVariable long id) {
		return this.service.act(name, id, "resume");
	}

	@PostMapping("/rollouts/{id}:abort")
	@Operation(summary = "Stop the rollout and set the canary's weight to 0")
	Rollout.View abort(@PathVariable String name, @PathVariable long id) {
		return this.service.act(name, id, "abort");
	}

	private Duration parseWait(String wait) {
		if (wait == null || wait.isBlank()) {
			return Duration.ZERO;
		}
		Matcher matcher = WAIT.matcher(wait.trim());
		if (!matcher.matches()) {
			throw new InvalidParameterException("wait", "must be seconds such as 300s, or minutes such as 5m");
		}
		long amount = Long.parseLong(matcher.group(1));
		Duration duration = "m".equals(matcher.group(2)) ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
		if (duration.compareTo(this.properties.maxWait()) > 0) {
			throw new InvalidParameterException("wait",
					"must be at most " + this.properties.maxWait().toSeconds() + "s");
		}
		return duration;
	}

}
