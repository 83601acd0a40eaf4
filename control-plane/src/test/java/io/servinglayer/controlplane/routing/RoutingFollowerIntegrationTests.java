package io.servinglayer.controlplane.routing;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servinglayer.contracts.RoutingRevisionChannel;
import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.routingclient.FollowerSettings;
import io.servinglayer.routingclient.RoutingFollower;
import io.servinglayer.testsupport.TestModels;
import io.servinglayer.testsupport.TestRedis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The data-plane routing client against the real control plane and Redis. The control
 * plane checks for new revisions for its long-polls only every 5 s here, so a change seen
 * within a second can only have come through the Redis announcement.
 */
@ControlPlaneIntegrationTest
@TestPropertySource(properties = "servinglayer.control-plane.routing.poll-interval=5s")
class RoutingFollowerIntegrationTests {

	private static String followerSecret;

	@Autowired
	AdminApi api;

	@Autowired
	Environment environment;

	@TempDir
	Path dir;

	@BeforeEach
	void registerADeploymentAndTheFollowersClient() throws Exception {
		if (followerSecret != null) {
			return;
		}
		this.api.postJson("/api/v1/models", "{\"name\":\"fraud\"}");
		byte[] model = Files.readAllBytes(TestModels.fraudClassifier());
		this.api.upload("fraud", model, null);
		this.api.upload("fraud", model, null);
		assertThat(put("fraud", 1, null).status()).isEqualTo(201);
		followerSecret = this.api
			.postJson("/api/v1/clients",
					"{\"clientId\":\"inference-1\",\"scopes\":[\"routing:read\"],\"tenant\":\"platform\"}")
			.json()
			.path("clientSecret")
			.asString();
	}

	@Test
	void aFollowerSeesAChangeWithinASecondThroughRedisAndReportsItsRevision() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (RoutingFollower follower = follower(controlPlane(), sharedRedis(), this.dir.resolve("a.json"), meters)) {
			follower.start();
			await().atMost(Duration.ofSeconds(10)).until(follower::ready);
			long before = follower.snapshot().orElseThrow().revision();

			int version = toggleStableVersion();

			await().atMost(Duration.ofSeconds(1)).until(() -> follower.snapshot().orElseThrow().revision() > before);
			assertThat(follower.snapshot().orElseThrow().snapshot().deployments().get(0).stable().version())
				.isEqualTo(version);
			assertThat(meters.get("servinglayer.routing.revision").gauge().value())
				.isEqualTo(follower.snapshot().orElseThrow().revision());
			assertThat(meters.get("servinglayer.routing.staleness").gauge().value()).isBetween(0.0, 5.0);
		}
	}

	@Test
	void aFollowerOnTheContractsChannelHearsEachRevisionTheControlPlaneAnnounces() {
		String channel = RoutingRevisionChannel.channel(this.environment.getProperty("servinglayer.redis.key-prefix"));
		try (RoutingFollower follower = new RoutingFollower(
				new FollowerSettings(controlPlane(), "inference-1", followerSecret, this.dir.resolve("channel.json"),
						sharedRedis(), channel, Duration.ofSeconds(30), Duration.ofSeconds(1)),
				Clock.systemUTC(), null)) {
			follower.start();
			await().atMost(Duration.ofSeconds(10)).until(follower::ready);
			long before = follower.snapshot().orElseThrow().revision();

			toggleStableVersion();

			// Long-polls learn of it only after 5 s here: within a second, it came
			// through
			// the channel.
			await().atMost(Duration.ofSeconds(1)).until(() -> follower.snapshot().orElseThrow().revision() > before);
		}
	}

	@Test
	void withRedisStoppedAFollowerStillSeesAChangeWithinTheLongPollWindow() {
		TestRedis ownRedis = TestRedis.startEmbedded();
		String redisUri = "redis://" + ownRedis.host() + ":" + ownRedis.port();
		try (RoutingFollower follower = follower(controlPlane(), redisUri, this.dir.resolve("b.json"), null)) {
			follower.start();
			await().atMost(Duration.ofSeconds(10)).until(follower::ready);
			long before = follower.snapshot().orElseThrow().revision();
			ownRedis.cleanUp();

			toggleStableVersion();

			await().atMost(Duration.ofSeconds(15)).until(() -> follower.snapshot().orElseThrow().revision() > before);
		}
	}

	@Test
	void aFollowerRestartedWhileTheControlPlaneIsDownServesTheSnapshotFromDisk() {
		Path file = this.dir.resolve("c.json");
		long revision;
		try (RoutingFollower follower = follower(controlPlane(), null, file, null)) {
			follower.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file) && follower.ready());
			revision = follower.snapshot().orElseThrow().revision();
		}

		try (RoutingFollower restarted = follower(URI.create("http://127.0.0.1:9"), null, file, null)) {
			restarted.start();
			assertThat(restarted.ready()).isTrue();
			assertThat(restarted.snapshot().orElseThrow().revision()).isEqualTo(revision);
			assertThat(restarted.snapshot().orElseThrow().source()).isEqualTo("disk");
		}
	}

	@Test
	void aCorruptedOrTruncatedSnapshotFileIsIgnoredNeverHalfRead() throws Exception {
		Path file = this.dir.resolve("d.json");
		try (RoutingFollower follower = follower(controlPlane(), null, file, null)) {
			follower.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
		}
		byte[] intact = Files.readAllBytes(file);

		Files.write(file, java.util.Arrays.copyOf(intact, intact.length / 2));
		try (RoutingFollower truncated = follower(URI.create("http://127.0.0.1:9"), null, file, null)) {
			truncated.start();
			assertThat(truncated.ready()).isFalse();
			assertThat(truncated.snapshot()).isEmpty();
		}

		byte[] corrupted = intact.clone();
		corrupted[corrupted.length - 10] ^= 0x01;
		Files.write(file, corrupted);
		try (RoutingFollower flipped = follower(URI.create("http://127.0.0.1:9"), null, file, null)) {
			flipped.start();
			assertThat(flipped.ready()).isFalse();
		}
	}

	/**
	 * Moves the deployment to its other version, so the routing revision changes; the new
	 * version.
	 */
	private int toggleStableVersion() {
		Response current = this.api.get("/api/v1/deployments/fraud");
		int version = (current.json().path("stableVersion").asInt() == 1) ? 2 : 1;
		assertThat(put("fraud", version, current.header("ETag")).status()).isEqualTo(200);
		return version;
	}

	private RoutingFollower follower(URI controlPlane, String redisUri, Path file, SimpleMeterRegistry meters) {
		return new RoutingFollower(new FollowerSettings(controlPlane, "inference-1", followerSecret, file, redisUri,
				this.environment.getProperty("servinglayer.redis.key-prefix") + "routing", Duration.ofSeconds(30),
				Duration.ofSeconds(1)), Clock.systemUTC(), meters);
	}

	private URI controlPlane() {
		return URI.create("http://127.0.0.1:" + this.environment.getProperty("local.server.port"));
	}

	private String sharedRedis() {
		return "redis://" + this.environment.getProperty("spring.data.redis.host") + ":"
				+ this.environment.getProperty("spring.data.redis.port");
	}

	private Response put(String name, int stableVersion, String ifMatch) {
		var request = this.api.request("/api/v1/deployments/" + name).header("Content-Type", "application/json");
		if (ifMatch != null) {
			request.header("If-Match", ifMatch);
		}
		return this.api.send(request.PUT(java.net.http.HttpRequest.BodyPublishers
			.ofString("{\"model\": \"fraud\", \"stableVersion\": " + stableVersion + "}")));
	}

}
