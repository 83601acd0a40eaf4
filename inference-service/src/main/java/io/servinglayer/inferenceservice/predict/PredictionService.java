package io.servinglayer.inferenceservice.predict;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Timer;
import io.servinglayer.inferenceservice.features.FeatureBinding;
import io.servinglayer.inferenceservice.features.FeatureSettings;
import io.servinglayer.inferenceservice.features.FeatureView;
import io.servinglayer.inferenceservice.features.FeatureViewReadings;
import io.servinglayer.inferenceservice.features.OnlineFeatureCache;
import io.servinglayer.inferenceservice.features.RowKey;
import io.servinglayer.inferenceservice.features.RowPolicy;
import io.servinglayer.inferenceservice.features.StoredRow;
import io.servinglayer.inferenceservice.tracing.RequestSpans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.servinglayer.inferenceservice.protocol.InvalidInferenceRequestException;
import io.servinglayer.inferenceservice.runtime.DataType;
import io.servinglayer.inferenceservice.runtime.InferenceFailedException;
import io.servinglayer.inferenceservice.runtime.Tensor;
import io.servinglayer.inferenceservice.runtime.TensorSpec;
import io.servinglayer.inferenceservice.serving.InferenceService;
import io.servinglayer.inferenceservice.serving.ServedVersion;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Serves {@code :predict}: instances of named features in, predictions out. Entity keys
 * are looked up in the online store (through the local cache, all of a request's entities
 * in one read), request features come from the instance, and each input is filled with
 * its bound columns in order. A missing or stale row is handled as the view's policy
 * says; the answer says which instances got stale values or defaults.
 */
@Service
public class PredictionService {

	private final InferenceService inference;

	private final OnlineFeatureCache features;

	private final FeatureSettings settings;

	private final FeatureViewReadings readings;

	private final Clock clock;

	private final RequestSpans spans;

	PredictionService(InferenceService inference, ObjectProvider<OnlineFeatureCache> features, FeatureSettings settings,
			FeatureViewReadings readings, Clock clock, RequestSpans spans) {
		this.inference = inference;
		this.spans = spans;
		this.features = features.getIfAvailable();
		this.settings = settings;
		this.readings = readings;
		this.clock = clock;
	}

	/**
	 * @param version the pinned version, or {@code null} for the deployment's stable
	 * version
	 */
	public PredictResponse predict(String deployment, Integer version, JsonNode body) {
		if (body == null || !body.isObject()) {
			throw new InvalidInferenceRequestException("body",
					"must be a JSON object, such as {\"instances\": [{\"user_id\": \"u-42\", \"amount\": 129.5}]}");
		}
		// After a hot swap the version may bind other features: the whole call is made
		// again on it.
		return this.inference.serve(deployment, version, (target) -> predictOn(target, body));
	}

	private PredictResponse predictOn(ServedVersion target, JsonNode body) {
		FeatureBinding binding = target.binding();
		if (binding == null) {
			throw new InvalidInferenceRequestException("model",
					"version " + target.version() + " of '" + target.deployment()
							+ "' has no feature binding, so it takes tensors only: call /v2/models/"
							+ target.deployment() + "/infer");
		}
		List<JsonNode> instances = instances(body);
		FeatureView view = binding.view();
		List<String> entities = new ArrayList<>(instances.size());
		for (int i = 0; i < instances.size(); i++) {
			entities.add(checkInstance(instances.get(i), "instances[" + i + "]", binding));
		}
		List<RowChoice> rows = (view != null) ? rows(target, view, entities) : null;
		Map<String, Tensor> inputs = new LinkedHashMap<>();
		for (TensorSpec spec : target.model().inputs()) {
			List<String> columns = binding.inputs().get(spec.name());
			if (columns == null) {
				throw new IllegalStateException("the binding does not fill input '" + spec.name() + "'");
			}
			inputs.put(spec.name(), fill(spec, columns, instances, rows, binding));
		}
		Map<String, Tensor> outputs = this.inference.run(target, inputs);
		List<Map<String, Object>> predictions = new ArrayList<>(instances.size());
		for (int i = 0; i < instances.size(); i++) {
			Map<String, Object> prediction = new LinkedHashMap<>();
			for (Map.Entry<String, Tensor> output : outputs.entrySet()) {
				prediction.put(output.getKey(), Predictions.row(output.getValue(), i, instances.size()));
			}
			predictions.add(prediction);
		}
		return new PredictResponse(target.deployment(), Integer.toString(target.version()), predictions,
				(rows != null) ? rows.stream().map(RowChoice::use).toList() : null);
	}

	private List<JsonNode> instances(JsonNode body) {
		JsonNode instances = body.get("instances");
		if (instances == null || !instances.isArray() || instances.isEmpty()) {
			throw new InvalidInferenceRequestException("instances",
					"must be a non-empty array of objects, such as {\"instances\": [{\"user_id\": \"u-42\", \"amount\": 129.5}]}");
		}
		if (instances.size() > this.settings.maxInstances()) {
			throw new InvalidInferenceRequestException("instances", "holds " + instances.size() + " instances; at most "
					+ this.settings.maxInstances() + " per request");
		}
		for (String name : body.propertyNames()) {
			if (!name.equals("instances")) {
				throw new InvalidInferenceRequestException(name,
						"is not a member of a predict request; send \"instances\"");
			}
		}
		List<JsonNode> list = new ArrayList<>(instances.size());
		for (int i = 0; i < instances.size(); i++) {
			if (!instances.get(i).isObject()) {
				throw new InvalidInferenceRequestException("instances[" + i + "]",
						"must be an object of entity keys and request features");
			}
			list.add(instances.get(i));
		}
		return list;
	}

	/**
	 * Checks one instance against the binding and answers its entity id ({@code null}
	 * when the binding has no view).
	 */
	private static String checkInstance(JsonNode instance, String field, FeatureBinding binding) {
		Set<String> known = binding.instanceFields();
		List<String> keyValues = new ArrayList<>();
		if (binding.view() != null) {
			for (String key : binding.view().entityKeys()) {
				JsonNode value = instance.get(key);
				boolean several = binding.view().entityKeys().size() > 1;
				if (value != null && value.isString() && !value.stringValue().isEmpty()
						&& !(several && value.stringValue().contains("|"))) {
					keyValues.add(value.stringValue());
				}
				else if (value != null && value.isIntegralNumber()) {
					keyValues.add(value.asString());
				}
				else {
					throw new InvalidInferenceRequestException(field + "." + key,
							((value == null) ? "is missing: " : "") + "the entity key of feature view "
									+ binding.view().name() + " must be a non-empty string or a whole number");
				}
			}
		}
		for (Map.Entry<String, DataType> feature : binding.requestFeatures().entrySet()) {
			JsonNode value = instance.get(feature.getKey());
			if (!ColumnValues.fits(feature.getValue(), value)) {
				throw new InvalidInferenceRequestException(field + "." + feature.getKey(),
						((value == null) ? "is missing: " : "") + "the request feature must be "
								+ ColumnValues.expected(feature.getValue()) + " (" + feature.getValue() + ")");
			}
		}
		for (String name : instance.propertyNames()) {
			if (!known.contains(name)) {
				throw new InvalidInferenceRequestException(field + "." + name,
						"is neither an entity key nor a request feature of this model; it takes " + known);
			}
		}
		return (binding.view() != null) ? binding.view().entity(keyValues) : null;
	}

	/** Reads every instance's row and decides, by the view's policies, what it uses. */
	private List<RowChoice> rows(ServedVersion target, FeatureView view, List<String> entities) {
		Map<String, StoredRow> found = new LinkedHashMap<>();
		Throwable failure = fetch(target, view, entities, found);
		Instant now = this.clock.instant();
		List<RowChoice> choices = new ArrayList<>(entities.size());
		List<FeatureRowException.Refusal> missing = new ArrayList<>();
		List<FeatureRowException.Refusal> stale = new ArrayList<>();
		String unavailable = null;
		for (int i = 0; i < entities.size(); i++) {
			String entity = entities.get(i);
			String field = "instances[" + i + "]";
			StoredRow row = found.get(entity);
			if (row == null) {
				if (view.onMissing() == RowPolicy.DEFAULTS) {
					choices.add(RowChoice.defaults(entity, "unavailable", null));
				}
				else {
					unavailable = entity;
				}
				continue;
			}
			if (!row.present() || !complete(row, view)) {
				if (view.onMissing() == RowPolicy.DEFAULTS) {
					choices.add(RowChoice.defaults(entity, "missing", null));
				}
				else {
					missing.add(new FeatureRowException.Refusal(field, "feature view " + view.name() + " version "
							+ view.version() + " has no row for entity '" + entity + "'"));
				}
				continue;
			}
			Duration age = Duration.between(row.eventTime(), now);
			target.metrics().featureRowRead(age);
			this.readings.rowRead(view.name(), view.version(), age);
			double ageSeconds = Math.max(0, age.toMillis()) / 1000.0;
			if (age.compareTo(view.maxAge()) <= 0) {
				choices.add(new RowChoice(row, new PredictResponse.RowUse(entity, "fresh", null, ageSeconds)));
			}
			else if (view.onStale() == RowPolicy.SERVE_STALE) {
				choices.add(new RowChoice(row, new PredictResponse.RowUse(entity, "stale", null, ageSeconds)));
			}
			else if (view.onStale() == RowPolicy.DEFAULTS) {
				choices.add(RowChoice.defaults(entity, "stale", ageSeconds));
			}
			else {
				stale.add(new FeatureRowException.Refusal(field,
						"the row of entity '" + entity + "' is " + (long) ageSeconds + " s old; feature view "
								+ view.name() + " allows " + view.maxAge().toSeconds() + " s"));
			}
		}
		if (unavailable != null) {
			throw new FeaturesUnavailableException("the online store could not be read for entity '" + unavailable
					+ "' of feature view " + view.name() + " (" + failure.getMessage()
					+ "), and the view's policy refuses requests without their rows", failure);
		}
		if (!missing.isEmpty()) {
			throw new FeatureRowException("feature-row-missing", missing);
		}
		if (!stale.isEmpty()) {
			throw new FeatureRowException("feature-row-stale", stale);
		}
		return choices;
	}

	/**
	 * Fills {@code found} with the rows the cache or the store gave; answers the failure
	 * when the store could not be read (rows cached before it are still used).
	 */
	private Throwable fetch(ServedVersion target, FeatureView view, List<String> entities,
			Map<String, StoredRow> found) {
		Timer.Sample sample = Timer.start();
		List<RowKey> keys = entities.stream()
			.distinct()
			.map((entity) -> new RowKey(view.name(), view.version(), entity))
			.toList();
		if (this.features == null) {
			return new IllegalStateException("this instance has no online store configured");
		}
		int hits = 0;
		for (RowKey key : keys) {
			hits += this.features.cached(key) ? 1 : 0;
		}
		target.metrics().featureLookups(hits, keys.size() - hits);
		this.readings.lookups(view.name(), view.version(), hits, keys.size() - hits);
		Span read = this.spans.featureRead(view.name() + "@" + view.version(), keys.size(), hits);
		CompletableFuture<Map<RowKey, StoredRow>> rows = this.features.get(keys);
		try {
			rows.get(this.settings.storeTimeout().toMillis() + 50, TimeUnit.MILLISECONDS)
				.forEach((key, row) -> found.put(key.entity(), row));
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return ex;
		}
		catch (ExecutionException | TimeoutException ex) {
			read.setStatus(StatusCode.ERROR);
			for (RowKey key : keys) {
				this.features.cachedRow(key).ifPresent((row) -> found.put(key.entity(), row));
			}
			return (ex.getCause() != null) ? ex.getCause() : ex;
		}
		finally {
			read.end();
			target.metrics().featuresFetched(sample);
		}
	}

	private static boolean complete(StoredRow row, FeatureView view) {
		for (FeatureView.Feature feature : view.features().values()) {
			if (!row.values().containsKey(feature.name())) {
				return false;
			}
		}
		return true;
	}

	private static Tensor fill(TensorSpec spec, List<String> columns, List<JsonNode> instances, List<RowChoice> rows,
			FeatureBinding binding) {
		int width = columns.size();
		Object data = ColumnValues.newArray(spec.datatype(), instances.size() * width);
		for (int i = 0; i < instances.size(); i++) {
			for (int c = 0; c < width; c++) {
				String column = columns.get(c);
				int index = i * width + c;
				boolean set;
				if (binding.requestFeatures().containsKey(column)) {
					set = ColumnValues.setJson(data, index, spec.datatype(), instances.get(i).get(column));
				}
				else {
					RowChoice row = rows.get(i);
					set = (row.values() != null)
							? ColumnValues.setText(data, index, spec.datatype(), row.values().values().get(column))
							: ColumnValues.setJson(data, index, spec.datatype(),
									binding.view().features().get(column).defaultValue());
				}
				if (!set) {
					// Request features were checked, and defaults when the view was made:
					// what does not fit is a stored value written outside the documented
					// layout.
					throw new InferenceFailedException("the online row of entity '" + rows.get(i).use().entity()
							+ "' holds a value of '" + column + "' that is not " + spec.datatype(), null);
				}
			}
		}
		return new Tensor(spec.datatype(), new long[] { instances.size(), width }, data);
	}

	/** The row an instance uses (or {@code null} values for defaults), and how. */
	private record RowChoice(StoredRow values, PredictResponse.RowUse use) {

		static RowChoice defaults(String entity, String reason, Double ageSeconds) {
			return new RowChoice(null, new PredictResponse.RowUse(entity, "defaults", reason, ageSeconds));
		}

	}

}
