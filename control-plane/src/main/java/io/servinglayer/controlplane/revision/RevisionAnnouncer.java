package io.servinglayer.controlplane.revision;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.servinglayer.contracts.RoutingRevisionChannel;
import io.servinglayer.controlplane.system.RedisNamespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes committed routing revisions on the Redis channel {@code {prefix}routing}
 * ({@link RoutingRevisionChannel}), so followers learn of a change at once. Publishing
 * happens off the request thread on one thread with a short queue (only the newest
 * revision matters, so the oldest waiting one is dropped). When Redis is down, followers
 * still find the change by long-polling; this only logs.
 */
@Component
class RevisionAnnouncer implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(RevisionAnnouncer.class);

	private final StringRedisTemplate redis;

	private final String channel;

	private final ThreadPoolExecutor publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
			new ArrayBlockingQueue<>(16), (runnable) -> {
				Thread thread = new Thread(runnable, "routing-revision-publisher");
				thread.setDaemon(true);
				return thread;
			}, new ThreadPoolExecutor.DiscardOldestPolicy());

	private volatile boolean failing;

	RevisionAnnouncer(StringRedisTemplate redis, RedisNamespace namespace) {
		this.redis = redis;
		this.channel = RoutingRevisionChannel.channel(namespace.keyPrefix());
	}

	void announce(long revision) {
		this.publisher.execute(() -> {
			try {
				Long receivers = this.redis.convertAndSend(this.channel, RoutingRevisionChannel.message(revision));
				logger.debug("Published routing revision {} on {} to {} subscribers", revision, this.channel,
						receivers);
				if (this.failing) {
					logger.info("Publishing routing revisions to Redis works again");
					this.failing = false;
				}
			}
			catch (RuntimeException ex) {
				if (!this.failing) {
					logger.warn("Could not publish routing revision {} to Redis; followers will find it by polling: {}",
							revision, ex.getMessage());
					this.failing = true;
				}
			}
		});
	}

	@Override
	public void destroy() {
		this.publisher.shutdownNow();
	}

}
