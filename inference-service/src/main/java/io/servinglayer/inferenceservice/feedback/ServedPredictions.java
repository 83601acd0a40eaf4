package io.servinglayer.inferenceservice.feedback;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.contracts.ServedPrediction;
import io.servinglayer.routingclient.SharedRedisClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the predictions this instance serves in Redis for a while
 * ({@link ServedPrediction}), so the gateway can join labels sent later to them by
 * request id, whichever instance served them.
 *
 * <p>
 * A model call only works out what its answer predicted (one pass over the first output,
 * so the queue holds a few values per row, never whole answers) and offers that to a
 * bounded queue ({@link #remember}); one writer thread of its own writes them in
 * pipelined batches. When the queue is full, or Redis is slow or down, predictions are
 * dropped and counted ({@code inference.served.predictions.dropped}): a model call never
 * waits for Redis and never fails because of it.
 */
public class ServedPredictions implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ServedPredictions.class);

	/** Replaces what an earlier request of the same id left, with its TTL, at once. */
	static final String WRITE = """
			redis.call('DEL', KEYS[1])
			redis.call('HSET', KEYS[1], 'model', ARGV[1], 'version', ARGV[2], 'rows', ARGV[3], 'predicted', ARGV[4], 'at', ARGV[5])
			redis.call('PEXPIRE', KEYS[1], ARGV[6])
			return 1""";

	private final ServedPredictionSettings settings;

	private final Clock clock;

	private final BlockingQueue<Served> queue;

	private final SharedRedisClient redis;

	/** Whether {@link #redis} is this writer's own, to close with it. */
	private final boolean ownsRedis;

	private final JsonMapper json = JsonMapper.builder().build();

	private final Counter written;

	private final Counter queueFull;

	private final Counter redisFailed;

	private final Thread writer;

	private volatile boolean running = true;

	private SharedRedisClient.Connection connection;

	/**
	 * The digest of {@link #WRITE} once Redis holds it, so predictions go by it alone;
	 * {@code null} until then.
	 */
	private String writeSha;

	private long nextConnectMillis;

	/** On a client of its own, closed with it. */
	public ServedPredictions(String redisUri, ServedPredictionSettings settings, MeterRegistry meters, Clock clock) {
		this(SharedRedisClient.create(redisUri, false, Duration.ofSeconds(1)), true, settings, meters, clock);
	}

	/** On the instance's one Redis client, single node or cluster. */
	public ServedPredictions(SharedRedisClient redis, ServedPredictionSettings settings, MeterRegistry meters,
			Clock clock) {
		this(redis, false, settings, meters, clock);
	}

	private ServedPredictions(SharedRedisClient redis, boolean ownsRedis, ServedPredictionSettings settings,
			MeterRegistry meters, Clock clock) {
		this.settings = settings;
		this.clock = clock;
		this.queue = new ArrayBlockingQueue<>(settings.maxQueued());
		this.redis = redis;
		this.ownsRedis = ownsRedis;
		this.written = Counter.builder("inference.served.predictions")
			.description("Served predictions written to Redis for feedback to join")
			.register(meters);
		this.queueFull = dropped(meters, "queue_full");
		this.redisFailed = dropped(meters, "redis");
		this.writer = new Thread(this::write, "served-predictions");
		this.writer.setDaemon(true);
	}

	private static Counter dropped(MeterRegistry meters, String reason) {
		return Counter.builder("inference.served.predictions.dropped")
			.description("Served predictions not kept for feedback: the queue was full, or Redis failed")
			.tag("reason", reason)
			.register(meters);
	}

	public void start() {
		this.writer.start();
	}

	/**
	 * Offers a served answer to be kept; never blocks. Nothing is kept without a request
	 * id (of at most 128 characters) or for an answer with nothing to compare a label
	 * with.
	 * @param answer an {@code InferenceResponse} or a {@code PredictResponse}
	 */
	public void remember(String requestId, String deployment, String version, Object answer) {
		if (requestId == null || requestId.isEmpty() || requestId.length() > 128) {
			return;
		}
		List<Object> predicted = Predicted.of(answer);
		if (predicted == null) {
			return;
		}
		if (!this.queue.offer(new Served(requestId, deployment, version, predicted, this.clock.millis()))) {
			this.queueFull.increment();
		}
	}

	/** How many served predictions wait to be written. */
	int queued() {
		return this.queue.size();
	}

	private void write() {
		List<Served> batch = new ArrayList<>(this.settings.batchSize());
		while (this.running || !this.queue.isEmpty()) {
			try {
				Served first = this.queue.poll(200, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				gather(batch);
				writeBatch(batch);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				logger.warn("Could not write served predictions", ex);
				this.redisFailed.increment(batch.size());
			}
			finally {
				batch.clear();
			}
		}
	}

	/**
	 * Adds what arrives within the linger (or until the batch is full): one round trip
	 * then carries many predictions, which costs both sides far less CPU than one each.
	 */
	private void gather(List<Served> batch) throws InterruptedException {
		long deadline = System.nanoTime() + this.settings.linger().toNanos();
		while (batch.size() < this.settings.batchSize() && this.running) {
			this.queue.drainTo(batch, this.settings.batchSize() - batch.size());
			long left = deadline - System.nanoTime();
			if (batch.size() >= this.settings.batchSize() || left <= 0) {
				return;
			}
			Served next = this.queue.poll(left, TimeUnit.NANOSECONDS);
			if (next == null) {
				return;
			}
			batch.add(next);
		}
	}

	private void writeBatch(List<Served> batch) {
		SharedRedisClient.Connection open = connection();
		if (open != null && this.writeSha == null) {
			this.writeSha = loadScript(open);
		}
		if (open == null || this.writeSha == null) {
			this.redisFailed.increment(batch.size());
			return;
		}
		String ttl = Long.toString(this.settings.ttl().toMillis());
		List<RedisFuture<Long>> replies = new ArrayList<>(batch.size());
		for (Served served : batch) {
			List<Object> predicted = served.predicted();
			replies.add(open.async()
				.evalsha(this.writeSha, ScriptOutputType.INTEGER,
						new String[] { ServedPrediction.key(this.settings.keyPrefix(), served.requestId()) },
						served.deployment(), served.version(), Integer.toString(predicted.size()),
						this.json.writeValueAsString(predicted), Long.toString(served.servedAtMillis()), ttl));
		}
		open.connection().flushCommands();
		int ok = 0;
		for (RedisFuture<Long> reply : replies) {
			try {
				reply.toCompletableFuture().get(this.settings.commandTimeout().toMillis() + 50, TimeUnit.MILLISECONDS);
				ok++;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof RedisNoScriptException) {
					// Redis restarted (or flushed its scripts): load it again next time.
					this.writeSha = null;
				}
				logger.debug("A served prediction was not written", ex);
			}
			catch (TimeoutException ex) {
				logger.debug("A served prediction was not written in time", ex);
			}
		}
		this.written.increment(ok);
		this.redisFailed.increment(replies.size() - ok);
	}

	/** The script's digest, or {@code null} when Redis did not take it. */
	private String loadScript(SharedRedisClient.Connection open) {
		RedisFuture<String> loaded = open.async().scriptLoad(WRITE);
		open.connection().flushCommands();
		try {
			return loaded.toCompletableFuture().get(this.settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("The served-prediction script could not be loaded", ex);
			return null;
		}
	}

	/**
	 * The writer's own connection, commands flushed by batch; {@code null} while Redis
	 * cannot be reached (tried again at most once a second).
	 */
	private SharedRedisClient.Connection connection() {
		if (this.connection != null) {
			return this.connection;
		}
		long now = System.currentTimeMillis();
		if (now < this.nextConnectMillis) {
			return null;
		}
		try {
			this.connection = this.redis.connect(this.settings.commandTimeout());
			this.connection.connection().setAutoFlushCommands(false);
			return this.connection;
		}
		catch (RuntimeException ex) {
			this.nextConnectMillis = now + 1000;
			logger.warn("Redis not reachable for served predictions ({}); dropping them until it is",
					ex.getClass().getSimpleName());
			return null;
		}
	}

	/** Writes what waits (within a few seconds), then closes the connection. */
	@Override
	public void close() {
		// The writer polls with a short timeout: it sees this, writes what waits, and
		// stops.
		this.running = false;
		try {
			this.writer.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.connection != null) {
			this.connection.close();
		}
		if (this.ownsRedis) {
			this.redis.close();
		}
	}

	private record Served(String requestId, String deployment, String version, List<Object> predicted,
			long servedAtMillis) {
	}

}
