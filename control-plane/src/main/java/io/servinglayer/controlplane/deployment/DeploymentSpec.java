package io.servinglayer.controlplane.deployment;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.servinglayer.contracts.RoutingSnapshot;
import io.servinglayer.controlplane.system.Violations;

/**
 * The desired state of one served endpoint, as {@code PUT /api/v1/deployments/{name}}
 * takes it. Fields left out get their defaults (see {@link #withDefaults()}), so what is
 * stored, diffed and shown in history is always explicit.
 *
 * @param model the registered model this deployment serves
 * @param pool the inference instance pool that serves it
 * @param stableVersion the version that takes the traffic the canary does not
 * @param canary an optional second version and its share of traffic, in basis points
 * (0–10000)
 * @param shadow an optional version that gets a copy of {@code percent} of requests; its
 * answers are recorded, never returned
 * @param stickyKey what keeps a caller on one version: {@code client},
 * {@code header:<Name>} or {@code none}
 * @param timeoutMs how long the gateway waits for an answer
 * @param batching how the inference service batches concurrent requests
 */
public record DeploymentSpec(String model, String pool, Integer stableVersion, Canary canary, Shadow shadow,
		String stickyKey, Integer timeoutMs, Batching batching) {

	static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

	/** Deployment names whose {@code predict:{name}} scope would mean something else. */
	static final Set<String> RESERVED_NAMES = Set.of("pinned");

	private static final Pattern STICKY_KEY = Pattern.compile("client|none|header:[A-Za-z0-9-]{1,64}");

	/**
	 * The spec with every omitted field at its default: the routing snapshot's defaults,
	 * so a deployment stored before a field existed routes as one written after. Batching
	 * defaults to up to 32 rows with no queue delay, as Triton's dynamic batcher does: a
	 * batch is whatever waits when the model is free, so batches form by themselves under
	 * load and a lone request never waits for companions (with a delay of 1 ms instead,
	 * throughput was 14-17 % lower at 32 connections and 7-11x lower at 2 in one run,
	 * BENCHMARKS.md).
	 */
	DeploymentSpec withDefaults() {
		RoutingSnapshot.Batching batchingDefault = RoutingSnapshot.Batching.DEFAULT;
		return new DeploymentSpec(this.model, (this.pool != null) ? this.pool : RoutingSnapshot.Deployment.DEFAULT_POOL,
				this.stableVersion, this.canary, this.shadow,
				(this.stickyKey != null) ? this.stickyKey : RoutingSnapshot.Deployment.DEFAULT_STICKY_KEY,
				(this.timeoutMs != null) ? this.timeoutMs : RoutingSnapshot.Deployment.DEFAULT_TIMEOUT_MS,
				new Batching(
						(this.batching != null && this.batching.maxBatchSize() != null) ? this.batching.maxBatchSize()
								: batchingDefault.maxBatchSize(),
						(this.batching != null && this.batching.maxQueueDelayMicros() != null)
								? this.batching.maxQueueDelayMicros() : batchingDefault.maxQueueDelayMicros()));
	}

	/** The versions this spec routes to: stable, canary and shadow. */
	public Set<Integer> versions() {
		Set<Integer> versions = new TreeSet<>();
		versions.add(this.stableVersion);
		if (this.canary != null && this.canary.version() != null) {
			versions.add(this.canary.version());
		}
		if (this.shadow != null && this.shadow.version() != null) {
			versions.add(this.shadow.version());
		}
		return versions;
	}

	/**
	 * What {@code version} is in this spec: {@code stable}, {@code canary}, or
	 * {@code shadow} for any other version (the spec routes to no fourth one).
	 */
	public String roleOf(int version) {
		if (this.stableVersion != null && version == this.stableVersion) {
			return "stable";
		}
		if (this.canary != null && this.canary.version() != null && this.canary.version() == version) {
			return "canary";
		}
		return "shadow";
	}

	/** Checks what can be checked without the registry. */
	void validateShape(Violations violations) {
		violations.require(this.model != null && !this.model.isBlank(), "model", "must name a registered model")
			.require(this.pool != null && NAME.matcher(this.pool).matches(), "pool",
					"must be a DNS label: lower-case letters, digits and '-'")
			.require(this.stableVersion != null && this.stableVersion > 0, "stableVersion",
					"must be the number of a registered version of the model")
			.require(this.stickyKey != null && STICKY_KEY.matcher(this.stickyKey).matches(), "stickyKey",
					"must be \"client\", \"none\" or \"header:<Name>\" such as \"header:X-Entity-Key\"")
			.require(this.timeoutMs != null && this.timeoutMs >= 1 && this.timeoutMs <= 300_000, "timeoutMs",
					"must be between 1 and 300000 milliseconds");
		if (this.canary != null) {
			violations
				.require(this.canary.version() != null && this.canary.version() > 0, "canary.version",
						"must be the number of a registered version of the model")
				.require(
						this.canary.weightBasisPoints() != null && this.canary.weightBasisPoints() >= 0
								&& this.canary.weightBasisPoints() <= 10_000,
						"canary.weightBasisPoints", "must be between 0 and 10000 (100.00 %)")
				.require(this.canary.version() == null || !this.canary.version().equals(this.stableVersion),
						"canary.version", "must differ from stableVersion");
		}
		if (this.shadow != null) {
			violations
				.require(this.shadow.version() != null && this.shadow.version() > 0, "shadow.version",
						"must be the number of a registered version of the model")
				.require(this.shadow.percent() != null && this.shadow.percent() >= 0 && this.shadow.percent() <= 100,
						"shadow.percent", "must be between 0 and 100")
				.require(this.shadow.version() == null || !this.shadow.version().equals(this.stableVersion),
						"shadow.version", "must differ from stableVersion");
		}
		violations
			.require(this.batching.maxBatchSize() >= 1 && this.batching.maxBatchSize() <= 4096, "batching.maxBatchSize",
					"must be between 1 and 4096")
			.require(this.batching.maxQueueDelayMicros() >= 0 && this.batching.maxQueueDelayMicros() <= 1_000_000,
					"batching.maxQueueDelayMicros", "must be between 0 and 1000000 microseconds");
	}

	/** A canary version and its share of traffic in basis points (1 = 0.01 %). */
	public record Canary(Integer version, Integer weightBasisPoints) {
	}

	/** A shadow version and the percent of requests copied to it. */
	public record Shadow(Integer version, Integer percent) {
	}

	/**
	 * Dynamic batching: the largest batch, and the longest a request waits for others to
	 * join it.
	 */
	public record Batching(Integer maxBatchSize, Integer maxQueueDelayMicros) {
	}

}
