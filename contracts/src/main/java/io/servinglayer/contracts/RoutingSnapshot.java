package io.servinglayer.contracts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import tools.jackson.databind.JsonNode;

/**
 * Everything the data plane routes by, at one routing revision, as the control plane
 * serves it at {@code GET /api/v1/routing} (ETag: the revision): the deployments with the
 * versions they serve, the feature views those versions read, and every client's scopes
 * and rate plan.
 *
 * <p>
 * Written by the control plane ({@code RoutingSnapshots}); followed by
 * {@code RoutingFollower}, which parses it with {@link SnapshotJson} and hands it to the
 * gateway ({@code RoutingTable}) and the inference service ({@code Reconciler}). Readers
 * ignore members they do not know, so a field can be added without a lock-step upgrade; a
 * member a reader knows but a snapshot lacks (written by an older control plane) takes
 * the default named here, the only place these defaults live. Values are carried as
 * written, not validated: each reader decides what it cannot use and skips that row
 * alone, so one bad row never costs the whole snapshot.
 *
 * @param revision the routing revision, never negative; a document without one is not a
 * snapshot
 * @param generatedAt when the control plane built it
 * @param deployments every deployment, in any order
 * @param featureViews the feature view versions bound by the versions served
 * @param clients every client, disabled ones included
 */
public record RoutingSnapshot(long revision, Instant generatedAt, List<Deployment> deployments,
		List<FeatureView> featureViews, List<Client> clients) {

	public RoutingSnapshot {
		deployments = present(deployments);
		featureViews = present(featureViews);
		clients = present(clients);
	}

	@JsonCreator
	static RoutingSnapshot read(Long revision, Instant generatedAt, List<Deployment> deployments,
			List<FeatureView> featureViews, List<Client> clients) {
		if (revision == null || revision < 0) {
			throw new IllegalArgumentException("the routing snapshot has no revision, got " + revision);
		}
		return new RoutingSnapshot(revision, generatedAt, deployments, featureViews, clients);
	}

	/** The feature view version the snapshot carries, or {@code null}. */
	public FeatureView featureView(String name, int version) {
		for (FeatureView view : this.featureViews) {
			if (view.name().equals(name) && view.version() == version) {
				return view;
			}
		}
		return null;
	}

	/**
	 * One deployment. {@code canary} and {@code shadow} are {@code null} when not set;
	 * the canary takes {@code canaryWeightBasisPoints} of 10000 hash buckets of
	 * {@code stickyKey} salted with {@code salt}.
	 *
	 * @param name the deployment's name, which clients call
	 * @param model the registered model it serves
	 * @param pool the inference instance pool that serves it; {@value #DEFAULT_POOL} when
	 * absent
	 * @param stable the version that takes the traffic the canary does not; {@code null}
	 * only in a snapshot no reader can route by
	 * @param canary a second version taking {@code canaryWeightBasisPoints}, or
	 * {@code null}
	 * @param canaryWeightBasisPoints the canary's share in basis points (0–10000); 0 when
	 * absent
	 * @param shadow a version that gets a copy of {@code shadowPercent} of requests, or
	 * {@code null}
	 * @param shadowPercent 0–100; 0 when absent
	 * @param stickyKey {@code client}, {@code none} or {@code header:<Name>};
	 * {@value #DEFAULT_STICKY_KEY} when absent
	 * @param salt what the sticky key's hash is salted with; empty when absent
	 * @param timeoutMs how long the gateway waits for an answer;
	 * {@value #DEFAULT_TIMEOUT_MS} when absent
	 * @param batching how the inference service batches; {@link Batching#DEFAULT} when
	 * absent
	 */
	public record Deployment(String name, String model, String pool, Version stable, Version canary,
			int canaryWeightBasisPoints, Version shadow, int shadowPercent, String stickyKey, String salt,
			int timeoutMs, Batching batching) {

		public static final String DEFAULT_POOL = "default";

		public static final String DEFAULT_STICKY_KEY = "client";

		public static final int DEFAULT_TIMEOUT_MS = 2000;

		public Deployment {
			pool = (pool != null) ? pool : DEFAULT_POOL;
			stickyKey = (stickyKey != null) ? stickyKey : DEFAULT_STICKY_KEY;
			salt = (salt != null) ? salt : "";
			batching = (batching != null) ? batching : Batching.DEFAULT;
		}

		@JsonCreator
		static Deployment read(String name, String model, String pool, Version stable, Version canary,
				Integer canaryWeightBasisPoints, Version shadow, Integer shadowPercent, String stickyKey, String salt,
				Integer timeoutMs, Batching batching) {
			return new Deployment(name, model, pool, stable, canary, or(canaryWeightBasisPoints, 0), shadow,
					or(shadowPercent, 0), stickyKey, salt, or(timeoutMs, DEFAULT_TIMEOUT_MS), batching);
		}

	}

	/**
	 * A version the data plane serves, and what it needs to load and check it.
	 *
	 * @param version the registry's version number; 0 when absent, which no reader serves
	 * @param digest the artifact's SHA-256, hex
	 * @param sizeBytes the artifact's size
	 * @param artifactPath where the control plane serves the artifact, relative to its
	 * base URL
	 * @param signature the model's inputs and outputs as the registry read them
	 * @param featureBinding how the version's inputs are filled from named features, or
	 * {@code null} when callers send tensors
	 */
	public record Version(int version, String digest, long sizeBytes, String artifactPath, Signature signature,
			FeatureBinding featureBinding) {

		@JsonCreator
		static Version read(Integer version, String digest, Long sizeBytes, String artifactPath, Signature signature,
				FeatureBinding featureBinding) {
			return new Version(or(version, 0), digest, (sizeBytes != null) ? sizeBytes : 0, artifactPath, signature,
					featureBinding);
		}

	}

	/**
	 * Dynamic batching: the largest batch, and the longest a request waits for others to
	 * join it. The default is up to 32 rows with no queue delay, as Triton's dynamic
	 * batcher does: batches form by themselves under load and a lone request never waits
	 * for companions (BENCHMARKS.md).
	 */
	public record Batching(int maxBatchSize, int maxQueueDelayMicros) {

		public static final Batching DEFAULT = new Batching(32, 0);

		@JsonCreator
		static Batching read(Integer maxBatchSize, Integer maxQueueDelayMicros) {
			return new Batching(or(maxBatchSize, DEFAULT.maxBatchSize),
					or(maxQueueDelayMicros, DEFAULT.maxQueueDelayMicros));
		}

	}

	/** What a model takes and gives, as the registry read it from the ONNX graph. */
	public record Signature(List<Tensor> inputs, List<Tensor> outputs) {

		public Signature {
			inputs = present(inputs);
			outputs = present(outputs);
		}

	}

	/**
	 * One input or output of a model.
	 *
	 * @param datatype the Open Inference Protocol name of the element type ({@code FP32},
	 * {@code INT64}, …)
	 * @param shape the dimensions, {@code -1} where the model leaves one open
	 * @param dimensionNames the name of each open dimension the model names, else
	 * {@code null} at that index
	 */
	public record Tensor(String name, String datatype, List<Long> shape, List<String> dimensionNames) {

		public Tensor {
			shape = present(shape);
			dimensionNames = presentWithNulls(dimensionNames);
		}

	}

	/**
	 * How a version's inputs are filled at request time: each input (by name) takes the
	 * listed features as its columns, in order; a column is a feature of the bound view,
	 * looked up by entity key, or a request feature the caller sends.
	 *
	 * @param featureView the bound feature view version, or {@code null} when every
	 * column comes with the request
	 */
	public record FeatureBinding(FeatureViewRef featureView, List<Feature> requestFeatures,
			Map<String, List<String>> inputs) {

		public FeatureBinding {
			requestFeatures = present(requestFeatures);
			Map<String, List<String>> columns = new LinkedHashMap<>();
			if (inputs != null) {
				inputs.forEach((input, names) -> columns.put(input, present(names)));
			}
			inputs = Collections.unmodifiableMap(columns);
		}

	}

	/** A feature view version, named. */
	public record FeatureViewRef(String name, int version) {

		@JsonCreator
		static FeatureViewRef read(String name, Integer version) {
			return new FeatureViewRef(name, or(version, 0));
		}

	}

	/**
	 * A named, typed feature: a column of a feature view, or a feature the caller sends.
	 *
	 * @param dtype the Open Inference Protocol name of its type; a reader skips or
	 * refuses a type it does not know
	 * @param defaultValue what fills in when the view's policy says {@code defaults}: a
	 * JSON number, boolean or string of the feature's type; {@code null} (and absent in
	 * JSON) when it has none
	 */
	public record Feature(String name, String dtype, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode defaultValue) {

		public Feature {
			defaultValue = (defaultValue == null || defaultValue.isNull()) ? null : defaultValue;
		}

	}

	/**
	 * One immutable version of a feature view: the online features kept per entity, how
	 * old a row may be before it is stale, and what to do with a missing or stale row.
	 *
	 * @param entityKeys the columns that name an entity; their values, joined by
	 * {@code |}, are the entity id in the online store ({@code OnlineFeatureRow})
	 * @param maxAgeSeconds a row older than this is stale; 0 when absent, so every row is
	 * @param onMissing {@link RowPolicy#REJECT} when absent
	 * @param onStale {@link RowPolicy#SERVE_STALE} when absent
	 */
	public record FeatureView(String name, int version, String description, List<String> entityKeys,
			List<Feature> features, long maxAgeSeconds, RowPolicy onMissing, RowPolicy onStale, String createdBy,
			Instant createdAt) {

		public static final RowPolicy DEFAULT_ON_MISSING = RowPolicy.REJECT;

		public static final RowPolicy DEFAULT_ON_STALE = RowPolicy.SERVE_STALE;

		public FeatureView {
			entityKeys = present(entityKeys);
			features = present(features);
			onMissing = (onMissing != null) ? onMissing : DEFAULT_ON_MISSING;
			onStale = (onStale != null) ? onStale : DEFAULT_ON_STALE;
		}

		@JsonCreator
		static FeatureView read(String name, Integer version, String description, List<String> entityKeys,
				List<Feature> features, Long maxAgeSeconds, RowPolicy onMissing, RowPolicy onStale, String createdBy,
				Instant createdAt) {
			return new FeatureView(name, or(version, 0), description, entityKeys, features,
					(maxAgeSeconds != null) ? maxAgeSeconds : 0, onMissing, onStale, createdBy, createdAt);
		}

	}

	/**
	 * What the inference service does with an entity whose online row is missing, or
	 * older than the view's max age. A name this reader does not know reads as absent, so
	 * the view's default applies.
	 */
	public enum RowPolicy {

		/** Refuse the request with 422, naming the entity. */
		REJECT("reject"),

		/** Fill every feature of the view with its declared default, and say so. */
		DEFAULTS("defaults"),

		/** Use the old values, and say so; for stale rows only. */
		SERVE_STALE("serve-stale");

		private final String value;

		RowPolicy(String value) {
			this.value = value;
		}

		/** The name in JSON. */
		@JsonValue
		public String value() {
			return this.value;
		}

		/**
		 * The policy of that name, or {@code null} for a name this reader does not know.
		 */
		@JsonCreator
		public static RowPolicy of(String value) {
			for (RowPolicy policy : values()) {
				if (policy.value.equals(value)) {
					return policy;
				}
			}
			return null;
		}

	}

	/**
	 * What the gateway needs to know of a client: who it is, what it may call, and its
	 * rate plan.
	 *
	 * @param ratePlan {@link RatePlan#DEFAULT} when absent
	 */
	public record Client(String clientId, String tenant, List<String> scopes, RatePlan ratePlan, boolean disabled) {

		public Client {
			scopes = present(scopes);
			ratePlan = (ratePlan != null) ? ratePlan : RatePlan.DEFAULT;
		}

		@JsonCreator
		static Client read(String clientId, String tenant, List<String> scopes, RatePlan ratePlan, Boolean disabled) {
			return new Client(clientId, tenant, scopes, ratePlan, Boolean.TRUE.equals(disabled));
		}

	}

	/**
	 * What one client may send: a token bucket refilled at {@code requestsPerSecond}
	 * holding at most {@code burst} requests, and at most {@code dailyQuota} requests per
	 * UTC day ({@code null}: none). Carried as written; the gateway refuses a plan it
	 * cannot enforce.
	 */
	public record RatePlan(double requestsPerSecond, int burst, Long dailyQuota) {

		/**
		 * The plan of a client created without one, and of a snapshot row without one.
		 */
		public static final RatePlan DEFAULT = new RatePlan(50, 100, null);

		@JsonCreator
		static RatePlan read(Double requestsPerSecond, Integer burst, Long dailyQuota) {
			return new RatePlan((requestsPerSecond != null) ? requestsPerSecond : DEFAULT.requestsPerSecond,
					or(burst, DEFAULT.burst), dailyQuota);
		}

	}

	private static int or(Integer value, int fallback) {
		return (value != null) ? value : fallback;
	}

	/** The list without nulls, unmodifiable; empty for {@code null}. */
	private static <T> List<T> present(List<T> list) {
		return (list != null) ? list.stream().filter(Objects::nonNull).toList() : List.of();
	}

	/** For lists where {@code null} stands for something at its index. */
	private static <T> List<T> presentWithNulls(List<T> list) {
		return (list != null) ? Collections.unmodifiableList(new ArrayList<>(list)) : List.of();
	}

}
