package io.servinglayer.gateway.ratelimit;

import io.servinglayer.gateway.routing.RatePlan;
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
import io.servinglayer.contracts.RateLimitBucket;
import io.servinglayer.gateway.system.RedisLink;
import io.servinglayer.gateway.system.RedisLink.RedisUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Decides whether a client may send one more request, against a budget every gateway
 * shares in Redis, without a Redis round trip per request: the gateway takes a lease of
 * whole tokens from the client's shared bucket (one script call takes them and counts
 * them against the daily quota) and spends them locally, as Envoy's local-plus-global
 * limits and bucket4j's batched synchronisation do. Leased tokens are gone from the
 * shared bucket before they are spent, so all gateways together never admit more than the
 * plan allows; what leasing costs is the other way: tokens one gateway holds are not
 * there for another, so a client spread over {@code G} gateways may be refused while up
 * to {@code (lease - 1) x G} tokens sit unspent in leases, for at most
 * {@code lease-time}, after which they lapse (see {@link Leases#size}). A refusal is
 * remembered until a token could be there (at most {@code lease-time}), so a client
 * hammering while limited costs no Redis call either. When Redis does not answer within
 * the command timeout the decision is taken without it, as configured, and counted in
 * {@code gateway.ratelimit.decisions.without.redis}.
 */
public class RateLimiter {

	private static final Logger logger = LoggerFactory.getLogger(RateLimiter.class);

	private static final String SCRIPT = script();

	private final RedisLink redis;

	private final RateLimitSettings settings;

	private final LocalBuckets local;

	private final Counter withoutRedis;

	private final Leases leases;

	private final Counter redisCalls;

	private volatile String scriptSha;

	private volatile boolean failing;

	public RateLimiter(RedisLink redis, RateLimitSettings settings, Clock clock, MeterRegistry meters) {
		this.redis = redis;
		this.settings = settings;
		this.local = new LocalBuckets(clock, settings.maxLocalBuckets());
		this.leases = new Leases(settings);
		this.redisCalls = Counter.builder("gateway.ratelimit.leases")
			.description("Calls to the shared budget in Redis, each taking a lease of tokens (or a refusal)")
			.register(meters);
		this.withoutRedis = Counter.builder("gateway.ratelimit.decisions.without.redis")
			.description("Rate-limit decisions taken without Redis, which did not answer in time")
			.tag("mode", settings.whenRedisDown().name().toLowerCase(Locale.ROOT).replace('_', '-'))
			.register(meters);
	}

	/**
	 * The decision when this gateway can take it alone (a token of its lease, or a
	 * refusal still fresh), without a thread hop or an allocation beyond the decision;
	 * {@code null} when it takes a lease from Redis first: then call
	 * {@link #decide(String, RatePlan)}.
	 */
	public RateLimitDecision decideNow(String clientId, RatePlan plan) {
		return this.leases.spend(clientId, plan, System.nanoTime());
	}

	public Mono<RateLimitDecision> decide(String clientId, RatePlan plan) {
		return decide(clientId, plan, 0);
	}

	private Mono<RateLimitDecision> decide(String clientId, RatePlan plan, int round) {
		RateLimitDecision now = decideNow(clientId, plan);
		if (now != null) {
			return Mono.just(now);
		}
		if (round > 2) {
			// Others keep spending each lease before this request gets a token: it takes
			// its own single token, as it would without leases.
			return evaluateNow(clientId, plan, 1, null);
		}
		Leases.Lease lease = this.leases.lease(clientId);
		Mono<Object> pending;
		synchronized (lease) {
			if (lease.pending == null) {
				lease.pending = evaluateNow(clientId, plan, Leases.size(plan, this.settings), lease)
					.map(Object.class::cast)
					.onErrorResume((ex) -> Mono.just(ex))
					.doFinally((signal) -> {
						synchronized (lease) {
							lease.pending = null;
						}
					})
					.cache();
			}
			pending = lease.pending;
		}
		return pending.flatMap((result) -> {
			if (result instanceof Throwable failure) {
				// Redis did not answer the lease: each waiting request is decided without
				// it.
				return redisUnavailable(failure) ? withoutRedis(clientId, plan, failure) : Mono.error(failure);
			}
			return decide(clientId, plan, round + 1);
		});
	}

	/**
	 * One script call taking up to {@code wanted} tokens; with a lease, the tokens go to
	 * it and the decision is left to the lease.
	 */
	private Mono<RateLimitDecision> evaluateNow(String clientId, RatePlan plan, int wanted, Leases.Lease lease) {
		Mono<List<Object>> call;
		try {
			call = evaluate(clientId, plan, wanted);
		}
		catch (RedisUnavailableException | RedisConnectionException ex) {
			return (lease != null) ? Mono.error(ex) : withoutRedis(clientId, plan, ex);
		}
		this.redisCalls.increment();
		return call.timeout(this.redis.commandTimeout()).map((counts) -> {
			long taken = number(counts, 0);
			if (lease != null) {
				this.leases.taken(lease, plan, taken, number(counts, 1), number(counts, 2), number(counts, 3),
						number(counts, 4), number(counts, 5), System.nanoTime());
			}
			return RateLimitDecision.of(plan, taken >= 1, number(counts, 1) + Math.max(0, taken - 1), number(counts, 2),
					number(counts, 3), number(counts, 4), number(counts, 5));
		})
			.doOnNext((decision) -> recovered())
			.onErrorResume((ex) -> lease == null && redisUnavailable(ex), (ex) -> withoutRedis(clientId, plan, ex))
			.onErrorMap((ex) -> !(ex instanceof RateLimiterUnavailableException) && !redisUnavailable(ex), (ex) -> {
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

	private Mono<List<Object>> evaluate(String clientId, RatePlan plan, int wanted) {
		var commands = this.redis.connection().reactive();
		String[] keys = RateLimitBucket.keys(this.redis.keyPrefix(), clientId);
		String[] args = { Double.toString(plan.requestsPerSecond()), Integer.toString(plan.burst()),
				Long.toString((plan.dailyQuota() != null) ? plan.dailyQuota() : 0), Integer.toString(wanted) };
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
