package io.servinglayer.gateway.balancing;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.servinglayer.routingclient.ClientCredentialsToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's credential towards inference instances, which accept model calls only
 * from a gateway: a token of the gateway's own client with the {@code inference:call}
 * scope, sent as {@code Authorization: Bearer} on every call and shadow copy. It is
 * fetched and renewed on a thread of its own before it expires, so a request only reads a
 * field. While none can be had (the control plane is down, or the client lacks the scope)
 * the last one is still sent, and instances that require one refuse it once it has
 * expired.
 */
public final class InstanceCredential implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(InstanceCredential.class);

	/** The scope instances require of their callers. */
	public static final String SCOPE = "inference:call";

	private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

	private static final Duration LAST_RETRY = Duration.ofSeconds(30);

	private final ClientCredentialsToken token;

	private final Clock clock;

	private final ScheduledExecutorService refresher;

	private volatile String authorization;

	private Duration retry = FIRST_RETRY;

	private boolean failing;

	private InstanceCredential(ClientCredentialsToken token, Clock clock) {
		this.token = token;
		this.clock = clock;
		this.refresher = (token != null) ? Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "instance-credential");
			thread.setDaemon(true);
			return thread;
		}) : null;
	}

	/** A credential that fetches the gateway client's tokens from the control plane. */
	public static InstanceCredential of(ClientCredentialsToken token, Clock clock) {
		return new InstanceCredential(token, clock);
	}

	/**
	 * No credential: for a gateway that follows no control plane, whose instances must
	 * not require one.
	 */
	public static InstanceCredential none() {
		return new InstanceCredential(null, Clock.systemUTC());
	}

	public void start() {
		if (this.refresher != null) {
			this.refresher.execute(this::refresh);
		}
	}

	/**
	 * The {@code Authorization} header value for a call to an instance, or {@code null}
	 * while the gateway holds no token.
	 */
	public String authorization() {
		return this.authorization;
	}

	private void refresh() {
		Duration next;
		try {
			this.authorization = "Bearer " + this.token.get();
			next = Duration.between(this.clock.instant(), this.token.renewAt());
			this.retry = FIRST_RETRY;
			if (this.failing) {
				logger.info("The gateway holds a token for calling inference instances again");
				this.failing = false;
			}
		}
		catch (IOException | RuntimeException ex) {
			if (!this.failing) {
				logger.warn(
						"Could not get a token for calling inference instances (scope {}); instances that "
								+ "require one will refuse calls once the last one expires: {}",
						SCOPE, ex.getMessage());
				this.failing = true;
			}
			next = this.retry;
			this.retry = (this.retry.multipliedBy(2).compareTo(LAST_RETRY) > 0) ? LAST_RETRY
					: this.retry.multipliedBy(2);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		this.refresher.schedule(this::refresh, Math.max(1000, next.toMillis()), TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		if (this.refresher != null) {
			this.refresher.shutdownNow();
		}
	}

}
