package io.servinglayer.routingclient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.servinglayer.contracts.RoutingSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingFollowerTests {

	@TempDir
	Path dir;

	private RoutingFollower follower(Path file) {
		// Nothing listens on port 1: the follower has only its file to go on.
		return new RoutingFollower(new FollowerSettings(URI.create("http://127.0.0.1:1"), "gateway-1", "secret", file,
				null, null, Duration.ofSeconds(1), Duration.ofSeconds(1)), Clock.systemUTC(), null);
	}

	@Test
	void aFollowerStartsFromTheFileOfAnOlderControlPlaneWithTheContractsDefaults() throws Exception {
		Path path = this.dir.resolve("routing.json");
		new SnapshotFile(path).write("""
				{"revision": 41, "deployments": [{"name": "fraud", "model": "fraud", "stable": {"version": 3}}],
				 "clients": [{"clientId": "app", "scopes": ["predict"]}]}""".getBytes(StandardCharsets.UTF_8));

		try (RoutingFollower follower = follower(path)) {
			follower.start();

			assertThat(follower.ready()).isTrue();
			FollowedSnapshot held = follower.snapshot().orElseThrow();
			assertThat(held.revision()).isEqualTo(41);
			assertThat(held.source()).isEqualTo("disk");
			RoutingSnapshot.Deployment fraud = held.snapshot().deployments().get(0);
			assertThat(fraud.stable().version()).isEqualTo(3);
			assertThat(fraud.timeoutMs()).isEqualTo(RoutingSnapshot.Deployment.DEFAULT_TIMEOUT_MS);
			assertThat(fraud.batching()).isEqualTo(RoutingSnapshot.Batching.DEFAULT);
			assertThat(held.snapshot().clients().get(0).ratePlan()).isEqualTo(RoutingSnapshot.RatePlan.DEFAULT);
		}
	}

	@Test
	void anIntactFileThatIsNotASnapshotIsIgnored() throws Exception {
		Path path = this.dir.resolve("routing.json");
		new SnapshotFile(path).write("{\"deployments\": []}".getBytes(StandardCharsets.UTF_8));

		try (RoutingFollower follower = follower(path)) {
			follower.start();

			assertThat(follower.ready()).isFalse();
			assertThat(follower.snapshot()).isEmpty();
		}
	}

}
