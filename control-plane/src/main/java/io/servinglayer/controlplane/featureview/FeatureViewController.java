package io.servinglayer.controlplane.featureview;

import java.net.URI;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.servinglayer.controlplane.audit.AuditLog;
import io.servinglayer.controlplane.system.CurrentActor;
import io.servinglayer.controlplane.system.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/feature-views")
@Tag(name = "Feature views", description = "Versioned schemas of the online features kept per entity")
class FeatureViewController {

	private final FeatureViewRepository repository;

	private final AuditLog audit;

	private final CurrentActor actor;

	private final TransactionTemplate transactions;

	private final Clock clock;

	FeatureViewController(FeatureViewRepository repository, AuditLog audit, CurrentActor actor,
			TransactionTemplate transactions, Clock clock) {
		this.repository = repository;
		this.audit = audit;
		this.actor = actor;
		this.transactions = transactions;
		this.clock = clock;
	}

	@PostMapping
	@Operation(summary = "Create a feature view version",
			description = "Versions are immutable: to change a view, create its next version.")
	ResponseEntity<FeatureView> create(@RequestBody CreateFeatureViewRequest request) {
		request.validate();
		FeatureView view = new FeatureView(request.name(), request.version(),
				(request.description() != null) ? request.description() : "", List.copyOf(request.entityKeys()),
				List.copyOf(request.features()), request.maxAgeSeconds(), request.missingPolicy(),
				request.stalePolicy(), this.actor.name(), this.clock.instant().truncatedTo(ChronoUnit.MICROS));
		this.transactions.executeWithoutResult((status) -> {
			if (!this.repository.insert(view)) {
				throw new FeatureViewExistsException(view.name(), view.version());
			}
			this.audit.record("feature-view.created", "feature-view", view.name() + "/" + view.version(), null, view);
		});
		return ResponseEntity
			.created(URI.create("/api/v1/feature-views/" + view.name() + "/versions/" + view.version()))
			.body(view);
	}

	@GetMapping
	@Operation(summary = "List feature views, each at its newest version")
	Page<FeatureView> list(@RequestParam(required = false) Integer pageSize,
			@RequestParam(required = false) String pageToken) {
		int size = Page.size(pageSize);
		return Page.of(this.repository.latest(Page.decode(pageToken), size + 1), size, FeatureView::name);
	}

	@GetMapping("/{name}/versions")
	@Operation(summary = "List every version of a feature view, oldest first")
	List<FeatureView> versions(@PathVariable String name) {
		List<FeatureView> versions = this.repository.versions(name);
		if (versions.isEmpty()) {
			throw new FeatureViewNotFoundException(name, null);
		}
		return versions;
	}

	@GetMapping("/{name}/versions/{version}")
	@Operation(summary = "Get one version of a feature view")
	FeatureView get(@PathVariable String name, @PathVariable int version) {
		return this.repository.find(name, version).orElseThrow(() -> new FeatureViewNotFoundException(name, version));
	}

}
