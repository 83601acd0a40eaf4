package io.servinglayer.routingclient;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import io.servinglayer.contracts.RoutingRevisionChannel;

/**
 * How a data-plane service follows the routing snapshot.
 *
 * @param controlPlane base URL of the control plane, such as
 * {@code http://127.0.0.1:8081}
 * @param clientId the service's own client, with the {@code routing:read} scope
 * @param clientSecret its secret
 * @param snapshotFile where the last known good snapshot is kept between restarts
 * @param redisUri the single-node Redis that announces new revisions
 * ({@code redis://host:port}), or {@code null} to rely on long-polling alone; read only
 * by a follower without a {@link SharedRedisClient} of its service
 * @param channel the announcement channel, {@code {key-prefix}routing}
 * ({@link RoutingRevisionChannel#channel}); {@value RoutingRevisionChannel#DEFAULT} when
 * {@code null}
 * @param longPollTimeout how long the control plane holds a long-poll; requests time out
 * a little later
 * @param maxBackoff the longest wait between attempts while the control plane is
 * unreachable
 */
public record FollowerSettings(URI controlPlane, String clientId, String clientSecret, Path snapshotFile,
		String redisUri, String channel, Duration longPollTimeout, Duration maxBackoff) {

	public FollowerSettings {
		if (controlPlane == null || clientId == null || clientSecret == null || snapshotFile == null) {
			throw new IllegalArgumentException("controlPlane, clientId, clientSecret and snapshotFile are required");
		}
		if (longPollTimeout == null) {
			longPollTimeout = Duration.ofSeconds(30);
		}
		if (maxBackoff == null) {
			maxBackoff = Duration.ofSeconds(10);
		}
		if (channel == null) {
			channel = RoutingRevisionChannel.DEFAULT;
		}
	}

}
