package io.servinglayer.routingclient;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SharedRedisClientTests {

	@Test
	void aSingleNodeUriNamesOneNodeWithItsCredentialsDatabaseAndTls() {
		List<RedisURI> nodes = SharedRedisClient.nodes("rediss://user:s3cret@redis.example:6380/2");

		assertThat(nodes).hasSize(1);
		RedisURI node = nodes.get(0);
		assertThat(node.getHost()).isEqualTo("redis.example");
		assertThat(node.getPort()).isEqualTo(6380);
		assertThat(node.getDatabase()).isEqualTo(2);
		assertThat(node.isSsl()).isTrue();
		assertThat(node.getUsername()).isEqualTo("user");
		assertThat(new String(node.getPassword())).isEqualTo("s3cret");
	}

	@Test
	void seedNodesSeparatedByCommasTakeTheFirstsSchemeAndCredentials() {
		List<RedisURI> nodes = SharedRedisClient.nodes("redis://:s3cret@10.0.0.1:7000,10.0.0.2:7001, 10.0.0.3");

		assertThat(nodes).extracting(RedisURI::getHost).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
		assertThat(nodes).extracting(RedisURI::getPort).containsExactly(7000, 7001, 6379);
		assertThat(nodes).allSatisfy((node) -> assertThat(new String(node.getPassword())).isEqualTo("s3cret"));
	}

	@Test
	void severalNodesForASingleNodeRedisAreRefusedNamingTheClusterSettingWithoutThePassword() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SharedRedisClient.create("redis://:s3cret@10.0.0.1:7000,10.0.0.2:7001", false,
					Duration.ofSeconds(1)))
			.withMessageContaining("cluster")
			.withMessageContaining("redis://***@10.0.0.1:7000,10.0.0.2:7001")
			.withMessageNotContaining("s3cret");
	}

	@Test
	void somethingThatIsNotARedisUriIsRefusedWithoutThePassword() {
		assertThatIllegalArgumentException().isThrownBy(() -> SharedRedisClient.nodes("127.0.0.1:6379"))
			.withMessageContaining("redis://host:port");
		assertThatIllegalArgumentException().isThrownBy(() -> SharedRedisClient.nodes("redis://:s3cret@a:1,,b:2"))
			.withMessageContaining("empty host")
			.withMessageNotContaining("s3cret");
	}

	@Test
	void theLocationForLogsHasNoCredentialsAndSaysWhenItIsACluster() {
		try (SharedRedisClient single = SharedRedisClient.create("redis://:s3cret@127.0.0.1:1", false,
				Duration.ofSeconds(1));
				SharedRedisClient cluster = SharedRedisClient.create("redis://:s3cret@127.0.0.1:1,127.0.0.1:2", true,
						Duration.ofSeconds(1))) {
			assertThat(single.location()).isEqualTo("redis://***@127.0.0.1:1");
			assertThat(single.cluster()).isFalse();
			assertThat(cluster.location()).isEqualTo("redis://***@127.0.0.1:1,127.0.0.1:2 (cluster)");
			assertThat(cluster.cluster()).isTrue();
		}
	}

}
