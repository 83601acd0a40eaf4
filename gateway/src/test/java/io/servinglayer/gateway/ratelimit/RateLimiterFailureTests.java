package io.servinglayer.gateway.ratelimit;

import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterFailureTests {

	@Test
	void onlyAnUnreachableOrSlowRedisIsAnOutage() {
		assertThat(RateLimiter.redisUnavailable(new TimeoutException())).isTrue();
		assertThat(RateLimiter.redisUnavailable(new RedisCommandTimeoutException("slow"))).isTrue();
		assertThat(RateLimiter.redisUnavailable(new RedisConnectionException("down"))).isTrue();
	}

	@Test
	void scriptErrorsWrongTypesAndBadAnswersAreNotAnOutage() {
		assertThat(RateLimiter.redisUnavailable(new RedisCommandExecutionException(
				"WRONGTYPE Operation against a key holding the wrong kind of value")))
			.isFalse();
		assertThat(RateLimiter.redisUnavailable(new RedisCommandExecutionException("ERR Error running script")))
			.isFalse();
		assertThat(RateLimiter.redisUnavailable(new ClassCastException())).isFalse();
	}

}
