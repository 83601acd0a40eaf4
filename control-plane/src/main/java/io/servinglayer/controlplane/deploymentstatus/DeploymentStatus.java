package io.servinglayer.controlplane.deploymentstatus;

import java.time.Instant;
import java.util.List;

/**
 * What the data plane reports for one deployment, apart from its spec: each live instance
 * of the deployment's pool with the state of the deployment's versions there, and a
 * summary per version. Read from the instances' announcements in Redis, so it is as old
 * as their last heartbeat (or change of state) at most.
 *
 * @param deployment the deployment's name
 * @param pool the instance pool that serves it, from its spec
 * @param observedAt when the announcements were read
 * @param instances every instance of the pool whose announcement has not expired, by
 * instance id; one with none of this deployment's versions is listed with none
 * @param versions one summary per version, by number: every version the spec names, and
 * any other an instance reports (such as one being replaced)
 */
public record DeploymentStatus(String deployment, String pool, Instant observedAt, List<InstanceStatus> instances,
		List<VersionStatus> versions) {

	public DeploymentStatus {
		instances = List.copyOf(instances);
		versions = List.copyOf(versions);
	}

	/**
	 * How many instances have {@code version} loaded and warm; 0 when none has, or when
	 * the deployment has no such version.
	 */
	public int warmInstances(int version) {
		int warm = 0;
		for (InstanceStatus instance : this.instances) {
			for (VersionState state : instance.versions()) {
				if (state.version() == version && VersionState.WARM.equals(state.state())) {
					warm++;
				}
			}
		}
		return warm;
	}

	/** How many live instances the pool has, whatever versions they hold. */
	public int instanceCount() {
		return this.instances.size();
	}

	/**
	 * One live instance of the pool.
	 *
	 * @param instanceId the instance's id
	 * @param baseUrl where gateways reach it
	 * @param announcedAt when it last announced itself; {@code null} when its
	 * announcement did not say
	 * @param versions the state of each of this deployment's versions assigned to it, by
	 * number
	 */
	public record InstanceStatus(String instanceId, String baseUrl, Instant announcedAt, List<VersionState> versions) {

		public InstanceStatus {
			versions = List.copyOf(versions);
		}

	}

	/**
	 * Where one version stands on one instance.
	 *
	 * @param version the version's number
	 * @param state {@value #LOADING}, {@value #WARM} or {@value #FAILED}
	 * @param reason why it failed; {@code null} unless it failed
	 */
	public record VersionState(int version, String state, String reason) {

		/** Being downloaded, verified, opened or warmed up; not serving yet. */
		public static final String LOADING = "loading";

		/** Loaded, warmed up and serving. */
		public static final String WARM = "warm";

		/** Download, digest check, opening or warm-up failed; retried with backoff. */
		public static final String FAILED = "failed";

	}

	/**
	 * One version across the pool.
	 *
	 * @param version the version's number
	 * @param role its role in the spec: {@value #STABLE}, {@value #CANARY},
	 * {@value #SHADOW}, or {@value #NONE} for a version the spec no longer names
	 * @param warm how many instances have it warm
	 * @param loading how many are loading it
	 * @param failed how many failed to load it
	 * @param failureReasons the distinct reasons of those failures
	 */
	public record VersionStatus(int version, String role, int warm, int loading, int failed,
			List<String> failureReasons) {

		/** The version that takes the traffic the canary does not. */
		public static final String STABLE = "stable";

		/** The version that takes the canary's share of traffic. */
		public static final String CANARY = "canary";

		/** The version that gets a copy of some requests, its answers never returned. */
		public static final String SHADOW = "shadow";

		/** A version the spec does not name, still reported by an instance. */
		public static final String NONE = "none";

		public VersionStatus {
			failureReasons = List.copyOf(failureReasons);
		}

	}

}
