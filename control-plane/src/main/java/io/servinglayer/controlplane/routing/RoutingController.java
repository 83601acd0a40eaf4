package io.servinglayer.controlplane.routing;

import io.servinglayer.contracts.RoutingSnapshot;
import io.servinglayer.controlplane.system.EntityTags;
import io.servinglayer.controlplane.system.TooManyWaitersException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Routing", description = "The snapshot the gateway and inference services route by")
class RoutingController {

	private final RoutingSnapshots snapshots;

	private final RoutingWaiters waiters;

	RoutingController(RoutingSnapshots snapshots, RoutingWaiters waiters) {
		this.snapshots = snapshots;
		this.waiters = waiters;
	}

	@GetMapping("/routing")
	@Operation(summary = "The routing snapshot",
			description = "ETag is the routing revision. With after=N the call waits (up to 30 s) for a revision newer "
					+ "than N and answers 304 if none came. Needs routing:read, registry:read or deploy.")
	DeferredResult<ResponseEntity<RoutingSnapshot>> routing(
			@RequestParam(required = false) @Parameter(description = "the revision the caller holds") Long after,
			@RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
		DeferredResult<ResponseEntity<RoutingSnapshot>> result = new DeferredResult<>();
		long current = this.snapshots.currentRevision();
		if (after == null || current > after) {
			if (after == null && ifNoneMatch != null && EntityTags.matches(ifNoneMatch, Long.toString(current))) {
				result.setResult(ResponseEntity.status(HttpStatus.NOT_MODIFIED)
					.eTag(EntityTags.quote(Long.toString(current)))
					.build());
			}
			else {
				result.setResult(withTag(this.snapshots.current()));
			}
			return result;
		}
		DeferredResult<ResponseEntity<RoutingSnapshot>> waiting = this.waiters.await(after);
		if (waiting == null) {
			throw new TooManyWaitersException(
					"Too many followers are long-polling this control plane; retry in a few seconds or use another replica");
		}
		return waiting;
	}

	static ResponseEntity<RoutingSnapshot> withTag(RoutingSnapshot snapshot) {
		return ResponseEntity.ok().eTag(EntityTags.quote(Long.toString(snapshot.revision()))).body(snapshot);
	}

}
