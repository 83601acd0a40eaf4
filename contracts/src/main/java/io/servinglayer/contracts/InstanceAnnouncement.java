package io.servinglayer.contracts;

import java.util.List;

/**
 * What an inference instance tells the gateways and the control plane about itself, as a
 * JSON document in Redis:
 *
 * <pre>
 * {prefix}instances:{{pool}}:{instanceId}   this document, with a TTL of a few heartbeats
 * {prefix}instances:{{pool}}                a sorted set: member instanceId, score the epoch
 *                                           millis at which its document expires
 * </pre>
 *
 * The pool stands in braces, literally (for pool {@code default}:
 * {@code servinglayer:instances:{default}:i-1}): a Redis Cluster hashes only that part,
 * so a pool's index and documents share one slot and the writer's script and the readers'
 * MGET work there as on a single node. (Before Redis Cluster support the braces were not
 * there: services of that release and of this one do not see each other's announcements,
 * so upgrade instances, gateways and the control plane together.)
 *
 * Written by the instance ({@code InstanceAnnouncer}: the document and the index entry in
 * one script per heartbeat, and at once when a version's state changes); read by the
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
 * @param featureViews what the instance measured reading each feature view's online rows
 * since it started; absent in announcements of instances older than this field, and left
 * out by instances that read no feature view
 */
public record InstanceAnnouncement(String instanceId, String baseUrl, String pool, List<String> readyVersions,
		List<AssignedVersion> versions, String announcedAt, List<FeatureViewReading> featureViews) {

	/** An announcement without feature view readings, as instances before them wrote. */
	public InstanceAnnouncement(String instanceId, String baseUrl, String pool, List<String> readyVersions,
			List<AssignedVersion> versions, String announcedAt) {
		this(instanceId, baseUrl, pool, readyVersions, versions, announcedAt, null);
	}

	public static final String LOADING = "loading";

	public static final String WARM = "warm";

	public static final String FAILED = "failed";

	/** The pool's index of announced instances. */
	public static String indexKey(String prefix, String pool) {
		return prefix + "instances:{" + pool + "}";
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

	/**
	 * What one instance measured reading one version of a feature view, counted from the
	 * instance's start (so the counts only grow, and a reader adds up instances).
	 *
	 * @param name the feature view
	 * @param version its version
	 * @param cacheHits entity rows found in the instance's local cache
	 * @param cacheMisses entity rows the instance had to read from the online store
	 * @param rowsRead rows that were there (cached or read) and fed a prediction
	 * @param rowAgeMillisSum the ages of those rows when they were read, added up;
	 * {@code rowAgeMillisSum / rowsRead} is their mean age
	 * @param oldestRowAgeMillis the age of the oldest row read since the instance's
	 * previous announcement; 0 when it read none
	 */
	public record FeatureViewReading(String name, int version, long cacheHits, long cacheMisses, long rowsRead,
			long rowAgeMillisSum, long oldestRowAgeMillis) {
	}

}
