package io.servinglayer.routingclient;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.servinglayer.testsupport.TestRedisCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cluster connection from the services' one Redis client is linked to every primary
 * when it is opened, so a first command spread over the nodes (an inference instance's
 * first feature read) does not spend its own timeout connecting.
 */
@Tag("redis-cluster")
class SharedRedisClientOnRedisClusterIntegrationTests {

	private final TestRedisCluster cluster = TestRedisCluster.get();

	@Test
	void aClusterConnectionIsLinkedToEveryPrimaryBeforeItsFirstCommand() {
		String name = uniqueName();
		try (SharedRedisClient client = namedClient(name);
				SharedRedisClient.Connection opened = client.connect(Duration.ofSeconds(1))) {
			assertEveryNodeHasAConnectionNamed(name);
		}
	}

	@Test
	void aClusterConnectionOpenedWithoutBlockingIsLinkedToEveryPrimaryToo() throws Exception {
		String name = uniqueName();
		try (SharedRedisClient client = namedClient(name);
				SharedRedisClient.Connection opened = client.connectAsync(Duration.ofSeconds(1))
					.get(10, TimeUnit.SECONDS)) {
			assertEveryNodeHasAConnectionNamed(name);
		}
	}

	private static String uniqueName() {
		return "links-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** A client whose connections all carry {@code name} (CLIENT SETNAME). */
	private SharedRedisClient namedClient(String name) {
		return SharedRedisClient.create(this.cluster.uri() + "?clientName=" + name, true, Duration.ofSeconds(2));
	}

	private void assertEveryNodeHasAConnectionNamed(String name) {
		for (int port : this.cluster.ports()) {
			assertThat(clientsNamed(port, name)).as("connections named %s on node %d", name, port)
				.isGreaterThanOrEqualTo(1);
		}
	}

	private static long clientsNamed(int port, String name) {
		RedisClient observer = RedisClient.create(RedisURI.builder()
			.withHost("127.0.0.1")
			.withPort(port)
			.withPassword(TestRedisCluster.PASSWORD.toCharArray())
			.withTimeout(Duration.ofSeconds(5))
			.build());
		try (StatefulRedisConnection<String, String> connection = observer.connect()) {
			return connection.sync()
				.clientList()
				.lines()
				.filter((line) -> line.contains(" name=" + name + " "))
				.count();
		}
		finally {
			observer.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
	}

}
