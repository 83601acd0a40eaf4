package io.servinglayer.gateway.system;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.netty.channel.AbortedException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemHandlerTests {

	@Test
	void aRedisUriIsLoggedWithoutItsPassword() {
		assertThat(RedisLink.masked("redis://user:s3cret@redis.example:6379/0"))
			.isEqualTo("redis://***@redis.example:6379/0")
			.doesNotContain("s3cret");
		assertThat(RedisLink.masked("rediss://:s3cret@h:6380")).isEqualTo("rediss://***@h:6380");
		assertThat(RedisLink.masked("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
	}

}
