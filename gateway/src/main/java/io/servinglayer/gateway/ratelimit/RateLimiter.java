package io.servinglayer.gateway.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.gateway.system.RedisLink;
import io.servinglayer.gateway.system.RedisLink.RedisUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Decides whether a client may send one more request, against a budget every gateway
 * shares in Redis: one script call checks and takes from the client's token bucket and
 * daily quota. When Redis does not answer within the command timeout the decision is
 * taken without it, as configured, and counted in
 * {@code gateway.ratelimit.decisions.without.redis}.
 */
public class RateLimiter {

	private static final Logger logger = LoggerFactory.getLogger(RateLimiter.class);

	private static final String SCRIPT = script();

	private final RedisLink redis;

	private final RateLimitSettings settings;

	private final LocalBuckets local;

	private final Counter withoutRedis;

	private volatile String scriptSha;

	private volatile boolean failing;

	public RateLimiter(RedisLink redis, RateLimitSettings settings, Clock clock, MeterRegistry meters) {
		this.redis = redis;
		this.settings = settings;
		this.local = new LocalBuckets(clock, settings.maxLocalBuckets());
		this.withoutRedis = Counter.builder("gateway.ratelimit.decisions.without.redis")
			.description("Rate-limit decisions taken without Redis, which did not answer in time")
			.tag("mode", settings.whenRedisDown().name().toLowerCase(Locale.ROOT).replace('_', '-'))
			.register(meters);
	}

	public Mono<RateLimitDecision> decide(String clientId, RatePlan plan) {
		Mono<List<Object>> call;
		try {
			call = evaluate(clientId, plan);
		}
		catch (RedisUnavailableException | RedisConnectionException ex) {
			return withoutRedis(clientId, plan, ex);
		}
		return call.timeout(this.redis.commandTimeout())
			.map((counts) -> RateLimitDecision.of(plan, number(counts, 0) == 1, number(counts, 1), number(counts, 2),
					number(counts, 3), number(counts, 4), number(counts, 5)))
			.doOnNext((decision) -> recovered())
			.onErrorResume(RateLimiter::redisUnavailable, (ex) -> withoutRedis(clientId, plan, ex))
			.onErrorMap((ex) -> !(ex instanceof RateLimiterUnavailableException), (ex) -> {
				logger.error("Rate limiting failed for client {} (not a Redis outage; answering 500): {}", clientId,
						ex.toString());
				return ex;
			});
	}

	/**
	 * Whether a failure means Redis could not be reached in time: only then is the
	 * decision taken without it. A script error, a wrong key type or an unexpected answer
	 * is a bug, not an outage, and fails the request.
	 */
	static boolean redisUnavailable(Throwable failure) {
		return failure instanceof TimeoutException || failure instanceof RedisConnectionException
				|| failure instanceof RedisCommandTimeoutException || failure instanceof RedisUnavailableException
				|| failure instanceof RedisException && failure.getCause() instanceof IOException
				|| failure instanceof IOException;
	}

	private Mono<List<Object>> evaluate(String clientId, RatePlan plan) {
		var commands = this.redis.connection().reactive();
		// The client id is a hash tag, so a client's two keys share a cluster slot.
		String base = this.redis.keyPrefix() + "ratelimit:{" + clientId + "}:";
		String[] keys = { base + "bucket", base + "day" };
		String[] args = { Double.toString(plan.requestsPerSecond()), Integer.toString(plan.burst()),
				Long.toString((plan.dailyQuota() != null) ? plan.dailyQuota() : 0) };
		String sha = this.scriptSha;
		Mono<List<Object>> byText = commands.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys, args).single();
		if (sha == null) {
			return commands.scriptLoad(SCRIPT).doOnNext((loaded) -> this.scriptSha = loaded).then(byText);
		}
		return commands.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args)
			.single()
			.onErrorResume(RedisNoScriptException.class, (ex) -> byText);
	}

	private Mono<RateLimitDecision> withoutRedis(String clientId, RatePlan plan, Throwable failure) {
		this.withoutRedis.increment();
		if (!this.failing) {
			logger.warn("Rate limiting without Redis ({}): {}", this.settings.whenRedisDown(),
					failure.getClass().getSimpleName());
			this.failing = true;
		}
		if (this.settings.whenRedisDown() == RateLimitSettings.WhenRedisDown.FAIL_CLOSED) {
			return Mono.error(new RateLimiterUnavailableException());
		}
		return Mono.just(this.local.decide(clientId, plan));
	}

	private void recovered() {
		if (this.failing) {
			logger.info("Rate limiting with Redis again");
			this.failing = false;
		}
	}

	private static long number(List<Object> counts, int index) {
		return ((Number) counts.get(index)).longValue();
	}

	private static String script() {
		try (InputStream in = RateLimiter.class.getResourceAsStream("rate-limit.lua")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
