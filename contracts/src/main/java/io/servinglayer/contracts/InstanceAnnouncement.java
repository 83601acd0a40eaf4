package io.servinglayer.contracts;

import java.util.List;

/**
 * What an inference instance tells the gateways and the control plane about itself, as a
 * JSON document in Redis:
 *
 * <pre>
 * {prefix}instances:{pool}:{instanceId}   this document, with a TTL of a few heartbeats
 * {prefix}instances:{pool}                a sorted set: member instanceId, score the epoch
 *                                         millis at which its document expires
 * </pre>
 *
 * Written by the instance ({@code InstanceAnnouncer}: the document and the index entry in
 * one MULTI/EXEC per heartbeat, and at once when a version's state changes); read by the
 * gateway ({@code InstanceDirectory}, which routes by {@code readyVersions}) and the
 * control plane ({@code DeploymentStatuses}, which reports {@code versions}). Readers
 * take the live members from the index (ZRANGEBYSCORE now +inf) and MGET their documents;
 * nobody scans. Readers ignore members they do not know, so a field can be added without
 * a lock-step upgrade.
 *
 * @param instanceId the instance's name in its pool
 * @param baseUrl where the gateway calls it, {@code http(s)://host:port}
 * @param readyVersions the versions warm and serving, as {@code deployment/version}
 * @param versions every version assigned to the instance and where it stands; absent in
 * announcements of instances older than this field
 * @param announcedAt when this document was written (ISO-8601)
 */
public record InstanceAnnouncement(String instanceId, String baseUrl, String pool, List<String> readyVersions,
		List<AssignedVersion> versions, String announcedAt) {

	public static final String LOADING = "loading";

	public static final String WARM = "warm";

	public static final String FAILED = "failed";

	/** The pool's index of announced instances. */
	public static String indexKey(String prefix, String pool) {
		return prefix + "instances:" + pool;
	}

	/** The document of one instance. */
	public static String key(String prefix, String pool, String instanceId) {
		return indexKey(prefix, pool) + ":" + instanceId;
	}

	/** A version's name in {@code readyVersions}. */
	public static String readyName(String deployment, int version) {
		return deployment + "/" + version;
	}

	/**
	 * One version assigned to the instance.
	 *
	 * @param state {@link #LOADING}, {@link #WARM} or {@link #FAILED}
	 * @param reason why it failed; {@code null} otherwise
	 */
	public record AssignedVersion(String deployment, int version, String state, String reason) {
	}

}
