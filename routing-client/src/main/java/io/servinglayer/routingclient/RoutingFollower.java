package io.servinglayer.routingclient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.contracts.RoutingRevisionChannel;
import io.servinglayer.contracts.RoutingSnapshot;
import io.servinglayer.contracts.SnapshotJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Holds the newest routing snapshot a data-plane service knows and keeps it current. It
 * long-polls the control plane with its own client credentials, fetches at once when
 * Redis announces a newer revision (so a lost message or a Redis outage only delays a
 * change), keeps the last known good snapshot on disk, and starts from that file when the
 * control plane cannot be reached.
 *
 * <p>
 * {@link #ready()} turns true once a snapshot is held, from either source. Listeners hear
 * each newer revision once, on the follower's thread.
 */
public final class RoutingFollower implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RoutingFollower.class);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

	private final FollowerSettings settings;

	private final SnapshotFile file;

	private final Clock clock;

	private final JsonMapper json = SnapshotJson.mapper();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

	private final ClientCredentialsToken credentials;

	private final List<Consumer<FollowedSnapshot>> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Fetches triggered by announcements; one waiting is enough, more would fetch the
	 * same thing.
	 */
	private final ExecutorService announcedFetches = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
			new LinkedBlockingQueue<>(1), daemon("routing-announced-fetch"), new ThreadPoolExecutor.DiscardPolicy());

	private volatile FollowedSnapshot current;

	private volatile Instant confirmedAt;

	private volatile boolean running;

	private Thread poller;

	/** The service's Redis client, or {@code null} to rely on long-polling alone. */
	private final SharedRedisClient redis;

	/** Whether {@link #redis} is this follower's own, to shut down on close. */
	private final boolean ownsRedis;

	private StatefulRedisPubSubConnection<String, String> subscription;

	/**
	 * A follower with a Redis client of its own, to the single node at
	 * {@link FollowerSettings#redisUri()} (none when that is {@code null}).
	 */
	public RoutingFollower(FollowerSettings settings, Clock clock, MeterRegistry meters) {
		this(settings,
				(settings.redisUri() != null)
						? SharedRedisClient.create(settings.redisUri(), false, Duration.ofSeconds(2)) : null,
				true, clock, meters);
	}

	/**
	 * A follower that subscribes through the service's Redis client, single node or
	 * cluster, which stays open when the follower closes;
	 * {@link FollowerSettings#redisUri()} is not read.
	 * @param redis the service's client, or {@code null} to rely on long-polling alone
	 */
	public RoutingFollower(FollowerSettings settings, SharedRedisClient redis, Clock clock, MeterRegistry meters) {
		this(settings, redis, false, clock, meters);
	}

	private RoutingFollower(FollowerSettings settings, SharedRedisClient redis, boolean ownsRedis, Clock clock,
			MeterRegistry meters) {
		this.settings = settings;
		this.redis = redis;
		this.ownsRedis = ownsRedis;
		this.file = new SnapshotFile(settings.snapshotFile());
		this.clock = clock;
		this.credentials = new ClientCredentialsToken(settings.controlPlane(), settings.clientId(),
				settings.clientSecret(), "routing:read", clock);
		if (meters != null) {
			Gauge.builder("servinglayer.routing.revision", this, (follower) -> follower.revisionOrNaN())
				.description("The routing revision this service holds")
				.register(meters);
			Gauge.builder("servinglayer.routing.staleness", this, (follower) -> follower.stalenessSeconds())
				.description("Seconds since the control plane last confirmed the held revision is the newest")
				.baseUnit("seconds")
				.register(meters);
		}
	}

	/**
	 * Starts from the snapshot on disk, if it is intact, and begins following the control
	 * plane.
	 */
	public synchronized void start() {
		loadFromDisk();
		this.running = true;
		this.poller = daemon("routing-follower").newThread(this::follow);
		this.poller.start();
		subscribe();
	}

	public Optional<FollowedSnapshot> snapshot() {
		return Optional.ofNullable(this.current);
	}

	/** Whether a snapshot is held, so the host service can route at all. */
	public boolean ready() {
		return this.current != null;
	}

	public void onChange(Consumer<FollowedSnapshot> listener) {
		this.listeners.add(listener);
	}

	/**
	 * Downloads a file the snapshot names (such as a version's {@code artifactPath}) with
	 * the follower's credentials, to {@code target}.
	 * @throws IOException if the control plane cannot be reached or does not answer 200
	 */
	public void download(String path, Path target, Duration timeout) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(this.settings.controlPlane().resolve(path))
			.header("Authorization", "Bearer " + token())
			.timeout(timeout)
			.GET()
			.build();
		HttpResponse<Path> response = this.http.send(request, HttpResponse.BodyHandlers.ofFile(target));
		if (response.statusCode() != 200) {
			java.nio.file.Files.deleteIfExists(target);
			throw new IOException("downloading " + path + " answered " + response.statusCode());
		}
	}

	/**
	 * Reads a small document of the control plane (such as a version's training baseline)
	 * with the follower's credentials.
	 * @return the body, or empty when the control plane answers 404
	 * @throws IOException if the control plane cannot be reached or answers anything but
	 * 200 or 404
	 */
	public Optional<byte[]> read(String path, Duration timeout) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(this.settings.controlPlane().resolve(path))
			.header("Authorization", "Bearer " + token())
			.header("Accept", "application/json")
			.timeout(timeout)
			.GET()
			.build();
		HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
		if (response.statusCode() == 404) {
			return Optional.empty();
		}
		if (response.statusCode() != 200) {
			throw new IOException("reading " + path + " answered " + response.statusCode());
		}
		return Optional.of(response.body());
	}

	private void loadFromDisk() {
		try {
			Optional<byte[]> stored = this.file.read();
			if (stored.isPresent()) {
				accept(stored.get(), "disk");
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Ignoring the routing snapshot at {}: {}", this.settings.snapshotFile(), ex.getMessage());
		}
	}

	private void follow() {
		Duration backoff = Duration.ofMillis(250);
		while (this.running) {
			try {
				fetch(true);
				backoff = Duration.ofMillis(250);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (IOException | RuntimeException ex) {
				if (!this.running) {
					return;
				}
				logger.debug("Could not reach the control plane for routing: {}", ex.getMessage());
				try {
					Thread.sleep(backoff.toMillis());
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return;
				}
				backoff = backoff.multipliedBy(2);
				if (backoff.compareTo(this.settings.maxBackoff()) > 0) {
					backoff = this.settings.maxBackoff();
				}
			}
		}
	}

	/** One request: a long-poll after the held revision, or a plain read. */
	private void fetch(boolean longPoll) throws IOException, InterruptedException {
		FollowedSnapshot held = this.current;
		boolean waiting = longPoll && held != null && held.source().equals("control-plane");
		String query = waiting ? "?after=" + held.revision() : "";
		HttpRequest request = HttpRequest.newBuilder(this.settings.controlPlane().resolve("/api/v1/routing" + query))
			.header("Authorization", "Bearer " + token())
			.timeout(waiting ? this.settings.longPollTimeout().plusSeconds(5) : REQUEST_TIMEOUT)
			.GET()
			.build();
		HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
		switch (response.statusCode()) {
			case 200 -> {
				accept(response.body(), "control-plane");
				this.confirmedAt = this.clock.instant();
			}
			case 304 -> this.confirmedAt = this.clock.instant();
			case 401 -> {
				this.credentials.invalidate();
				throw new IOException("the control plane refused the token");
			}
			default -> throw new IOException("the control plane answered " + response.statusCode());
		}
	}

	private synchronized void accept(byte[] body, String source) throws IOException {
		RoutingSnapshot read;
		try {
			read = SnapshotJson.read(this.json, body);
		}
		catch (JacksonException ex) {
			throw new IOException("not a routing snapshot: " + ex.getOriginalMessage(), ex);
		}
		long revision = read.revision();
		FollowedSnapshot held = this.current;
		if (held != null && revision <= held.revision()) {
			if (held.source().equals("disk") && source.equals("control-plane")) {
				this.current = new FollowedSnapshot(held.snapshot(), source, this.clock.instant());
			}
			return;
		}
		FollowedSnapshot snapshot = new FollowedSnapshot(read, source, this.clock.instant());
		this.current = snapshot;
		if (source.equals("control-plane")) {
			try {
				this.file.write(body);
			}
			catch (IOException ex) {
				logger.warn("Could not keep routing revision {} on disk at {}: {}", revision,
						this.settings.snapshotFile(), ex.getMessage());
			}
		}
		logger.info("Routing revision {} (from {})", revision, source);
		for (Consumer<FollowedSnapshot> listener : this.listeners) {
			try {
				listener.accept(snapshot);
			}
			catch (RuntimeException ex) {
				logger.error("A routing listener failed on revision {}", revision, ex);
			}
		}
	}

	private void subscribe() {
		if (this.redis == null) {
			return;
		}
		try {
			this.subscription = this.redis.connectPubSub(Duration.ofSeconds(2));
			this.subscription.addListener(new RedisPubSubAdapter<>() {
				@Override
				public void message(String channel, String message) {
					announced(message);
				}
			});
			this.subscription.sync().subscribe(this.settings.channel());
		}
		catch (RuntimeException ex) {
			// Long-polling carries on alone; announcements only make changes arrive
			// sooner.
			logger.warn("Not subscribed to routing announcements on {}: {}", this.redis.location(), ex.getMessage());
		}
	}

	private void announced(String message) {
		long revision = RoutingRevisionChannel.revision(message);
		if (revision < 0) {
			return;
		}
		FollowedSnapshot held = this.current;
		logger.debug("Announced routing revision {}; holding {}", revision, (held != null) ? held.revision() : "none");
		if (held == null || revision > held.revision()) {
			this.announcedFetches.execute(() -> {
				try {
					fetch(false);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				catch (IOException | RuntimeException ex) {
					logger.debug("Could not fetch announced routing revision {}: {}", revision, ex.getMessage());
				}
			});
		}
	}

	private String token() throws IOException, InterruptedException {
		return this.credentials.get();
	}

	private double revisionOrNaN() {
		FollowedSnapshot held = this.current;
		return (held != null) ? held.revision() : Double.NaN;
	}

	private double stalenessSeconds() {
		Instant confirmed = this.confirmedAt;
		return (confirmed != null) ? Duration.between(confirmed, this.clock.instant()).toMillis() / 1000.0 : Double.NaN;
	}

	@Override
	public synchronized void close() {
		this.running = false;
		if (this.poller != null) {
			this.poller.interrupt();
		}
		this.announcedFetches.shutdownNow();
		if (this.subscription != null) {
			this.subscription.close();
		}
		if (this.redis != null && this.ownsRedis) {
			this.redis.close();
		}
	}

	private static java.util.concurrent.ThreadFactory daemon(String name) {
		return (runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		};
	}

}
