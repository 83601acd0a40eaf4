package io.servinglayer.inferenceservice.reconcile;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import io.servinglayer.contracts.RoutingRevisionChannel;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of one inference instance.
 *
 * @param pool the instance pool this instance belongs to; it serves the deployments of
 * that pool
 * @param controlPlane the control plane to follow; when not set the instance serves
 * nothing
 * @param clientId the instance's own client, with the {@code routing:read} scope
 * @param clientSecret its secret
 * @param stateDirectory where downloaded artifacts (by digest) and the last routing
 * snapshot are kept
 * @param redisUri the Redis of the instance's announcements, online features and routing
 * announcements, such as {@code redis://127.0.0.1:6379} (or {@code rediss://} for TLS);
 * for a cluster, one or more seed nodes separated by commas, such as
 * {@code redis://:password@10.0.0.1:6379,10.0.0.2:6379} (the first's scheme and
 * credentials apply to all)
 * @param routingChannel the announcement channel, {@code {key-prefix}routing}
 * @param maxQueuedRequests the most requests waiting per version before new ones get 503
 * @param drainTimeout how long an unloaded version may finish its queued requests
 * @param downloadTimeout the longest one artifact download may take
 * @param retryBackoff the first wait before a failed version is tried again; it doubles
 * up to 5 minutes
 * @param retiredVersionGrace how long a version the snapshot no longer routes stays
 * loaded before it is unloaded, so a gateway that routes by an announcement or snapshot a
 * few seconds old still finds it: at least the announcement heartbeat plus the gateway's
 * directory refresh
 * @param redisCluster whether {@code redisUri} names a Redis Cluster, whose nodes the
 * instance discovers from the seeds and whose topology it follows
 */
@ConfigurationProperties("servinglayer.inference")
public record InferenceSettings(@DefaultValue("default") String pool, URI controlPlane, String clientId,
		String clientSecret, Path stateDirectory, String redisUri,
		@DefaultValue(RoutingRevisionChannel.DEFAULT) String routingChannel, @DefaultValue("256") int maxQueuedRequests,
		@DefaultValue("10s") Duration drainTimeout, @DefaultValue("5m") Duration downloadTimeout,
		@DefaultValue("2s") Duration retryBackoff, @DefaultValue("10s") Duration retiredVersionGrace,
		@DefaultValue("false") boolean redisCluster) {

	public InferenceSettings {
		if (stateDirectory == null) {
			stateDirectory = Path.of(System.getProperty("java.io.tmpdir"), "servinglayer-inference");
		}
		if (controlPlane != null && (clientId == null || clientSecret == null)) {
			throw new IllegalArgumentException("servinglayer.inference.client-id and client-secret are needed to "
					+ "follow the control plane at " + controlPlane);
		}
		if (retiredVersionGrace.isNegative()) {
			throw new IllegalArgumentException(
					"servinglayer.inference.retired-version-grace must not be negative, got " + retiredVersionGrace);
		}
		if (maxQueuedRequests < 1) {
			throw new IllegalArgumentException(
					"servinglayer.inference.max-queued-requests must be at least 1, got " + maxQueuedRequests);
		}
	}

}
