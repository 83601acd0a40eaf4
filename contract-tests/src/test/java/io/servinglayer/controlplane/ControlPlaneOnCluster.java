package io.servinglayer.controlplane;

import io.servinglayer.testsupport.TestRedisCluster;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The control plane's Redis as Spring Boot builds it from
 * {@code spring.data.redis.cluster.nodes} and the password, on the test cluster.
 */
public final class ControlPlaneOnCluster {

	private ControlPlaneOnCluster() {
	}

	/** Started connections to every node; the caller destroys them. */
	public static LettuceConnectionFactory connections(TestRedisCluster cluster) {
		RedisClusterConfiguration configuration = new RedisClusterConfiguration(cluster.nodes());
		configuration.setPassword(TestRedisCluster.PASSWORD);
		LettuceConnectionFactory connections = new LettuceConnectionFactory(configuration);
		connections.afterPropertiesSet();
		connections.start();
		return connections;
	}

	public static StringRedisTemplate template(LettuceConnectionFactory connections) {
		StringRedisTemplate template = new StringRedisTemplate(connections);
		template.afterPropertiesSet();
		return template;
	}

}
