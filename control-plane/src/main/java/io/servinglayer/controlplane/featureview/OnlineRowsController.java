package io.servinglayer.controlplane.featureview;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.servinglayer.controlplane.audit.AuditLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Loads rows into the online store, for demos, tests and small pipelines; large pipelines
 * write Redis directly in the same layout (docs/online-features.md).
 */
@RestController
@Tag(name = "Feature views")
class OnlineRowsController {

	/** Rows per request; the request body limit bounds it too. */
	static final int MAX_ROWS = 10_000;

	private final FeatureViewRepository views;

	private final OnlineStoreWriter store;

	private final OnlineRowParser parser;

	private final AuditLog audit;

	private final TransactionTemplate transactions;

	OnlineRowsController(FeatureViewRepository views, OnlineStoreWriter store, JsonMapper json, AuditLog audit,
			TransactionTemplate transactions) {
		this.transactions = transactions;
		this.views = views;
		this.store = store;
		this.parser = new OnlineRowParser(json, MAX_ROWS);
		this.audit = audit;
	}

	@PostMapping(path = "/api/v1/feature-views/{name}/versions/{version}/rows",
			consumes = { "application/x-ndjson", "application/jsonl" })
	@Operation(summary = "Write feature rows to the online store",
			description = "JSON lines: one object per line with every entity key, every feature and event_time. "
					+ "All lines are checked first; a bad line changes nothing. A row older than the stored one is skipped.")
	Map<String, Object> write(@PathVariable String name, @PathVariable int version, @RequestBody String body) {
		FeatureView view = this.views.find(name, version)
			.orElseThrow(() -> new FeatureViewNotFoundException(name, version));
		List<OnlineRow> rows = this.parser.parse(view, body);
		int written = this.store.write(view, rows);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("received", rows.size());
		result.put("written", written);
		result.put("olderThanStored", rows.size() - written);
		this.transactions.executeWithoutResult((status) -> this.audit.record("feature-rows.written", "feature-view",
				name + "/" + version, null, result));
		return result;
	}

}
