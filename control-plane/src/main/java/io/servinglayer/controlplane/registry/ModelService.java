package io.servinglayer.controlplane.registry;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import io.servinglayer.controlplane.audit.AuditLog;
import io.servinglayer.controlplane.system.CurrentActor;
import io.servinglayer.controlplane.system.EntityTags;
import io.servinglayer.controlplane.system.InvalidParameterException;
import io.servinglayer.controlplane.system.Page;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

@Service
class ModelService {

	private final ModelRepository models;

	private final AuditLog audit;

	private final CurrentActor actor;

	private final TransactionTemplate transactions;

	private final DeploymentReferences references;

	private final Clock clock;

	ModelService(ModelRepository models, AuditLog audit, CurrentActor actor, TransactionTemplate transactions,
			DeploymentReferences references, Clock clock) {
		this.models = models;
		this.audit = audit;
		this.actor = actor;
		this.transactions = transactions;
		this.references = references;
		this.clock = clock;
	}

	Model create(CreateModelRequest request) {
		request.validate();
		return this.transactions.execute((status) -> {
			Model model = this.models
				.insert(request.name(), (request.description() != null) ? request.description() : "", request.owner(),
						(request.tags() != null) ? request.tags() : Map.of(), this.actor.name(), now())
				.orElseThrow(() -> new ModelExistsException(request.name()));
			this.audit.record("model.created", "model", model.name(), null, ModelResponse.of(model));
			return model;
		});
	}

	Model get(String name) {
		return this.models.find(name).orElseThrow(() -> new ModelNotFoundException(name));
	}

	Model update(String name, String ifMatch, UpdateModelRequest request) {
		request.validate();
		return this.transactions.execute((status) -> {
			Model current = this.models.findForUpdate(name).orElseThrow(() -> new ModelNotFoundException(name));
			EntityTags.requireMatch(ifMatch, current.entityTag(), "model '" + name + "'");
			if (current.archived()) {
				throw new ModelArchivedException(name);
			}
			Model updated = this.models.update(current.id(),
					(request.description() != null) ? request.description() : current.description(),
					(request.owner() != null) ? request.owner() : current.owner(),
					(request.tags() != null) ? request.tags() : current.tags(), now());
			this.audit.record("model.updated", "model", name, ModelResponse.of(current), ModelResponse.of(updated));
			return updated;
		});
	}

	/**
	 * Archives the model; archiving an archived model changes nothing and answers its
	 * state.
	 */
	Model archive(String name, String ifMatch) {
		return this.transactions.execute((status) -> {
			Model current = this.models.findForUpdate(name).orElseThrow(() -> new ModelNotFoundException(name));
			EntityTags.checkMatch(ifMatch, current.entityTag(), "model '" + name + "'");
			if (current.archived()) {
				return current;
			}
			List<String> servedBy = this.references.ofModel(current.id());
			if (!servedBy.isEmpty()) {
				throw new InUseException("Model '" + name + "'", servedBy);
			}
			Model archived = this.models.archive(current.id(), now());
			this.audit.record("model.archived", "model", name, ModelResponse.of(current), ModelResponse.of(archived));
			return archived;
		});
	}

	Page<Model> list(String tag, boolean includeArchived, Integer pageSize, String pageToken) {
		int size = Page.size(pageSize);
		String tagKey = null;
		String tagValue = null;
		if (tag != null) {
			int colon = tag.indexOf(':');
			tagKey = (colon >= 0) ? tag.substring(0, colon) : tag;
			tagValue = (colon >= 0) ? tag.substring(colon + 1) : null;
			if (tagKey.isEmpty()) {
				throw new InvalidParameterException("tag", "must be a tag key, or key:value, got '" + tag + "'");
			}
		}
		return Page.of(this.models.list(Page.decode(pageToken), tagKey, tagValue, includeArchived, size + 1), size,
				Model::name);
	}

	private Instant now() {
		// PostgreSQL keeps microseconds: answer with what a later GET will show.
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

}
