package io.servinglayer.inferenceservice.features;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/**
 * A bounded local cache of online rows in front of the {@link OnlineStore}. Entries live
 * for the cache TTL less a random jitter, so rows loaded together expire apart. Misses
 * are read together in one pipelined round trip, and a miss already being read is joined
 * rather than read again: N concurrent requests for one cold entity make one Redis read.
 * A failed read is not cached.
 */
public class OnlineFeatureCache {

	private final AsyncCache<RowKey, StoredRow> cache;

	private final OnlineStore store;

	public OnlineFeatureCache(OnlineStore store, FeatureSettings settings) {
		this.store = store;
		long ttl = settings.cacheTtl().toNanos();
		long absentTtl = settings.absentTtl().toNanos();
		double jitter = settings.cacheTtlJitter();
		this.cache = Caffeine.newBuilder()
			.maximumSize(settings.cacheMaxEntries())
			// Maintenance runs on the caller's thread: never on the common pool, which
			// has one thread on two cores.
			.executor(Runnable::run)
			.expireAfter(Expiry.<RowKey, StoredRow>creating((key, row) -> {
				long life = row.present() ? ttl : absentTtl;
				return Duration.ofNanos(life - (long) (life * jitter * ThreadLocalRandom.current().nextDouble()));
			}))
			.buildAsync();
	}

	/** Whether the row is cached now (loaded, or being loaded). */
	public boolean cached(RowKey key) {
		return this.cache.getIfPresent(key) != null;
	}

	/** The row when the cache holds it loaded, whatever the store's state. */
	public Optional<StoredRow> cachedRow(RowKey key) {
		CompletableFuture<StoredRow> row = this.cache.getIfPresent(key);
		return (row != null && row.isDone() && !row.isCompletedExceptionally()) ? Optional.of(row.join())
				: Optional.empty();
	}

	/**
	 * The rows, from the cache where held, the rest in one read of the store.
	 */
	public CompletableFuture<Map<RowKey, StoredRow>> get(List<RowKey> keys) {
		return this.cache.getAll(keys, (missing, executor) -> this.store.read(List.copyOf(missing)));
	}

}
