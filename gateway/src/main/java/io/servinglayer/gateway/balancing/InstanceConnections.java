package io.servinglayer.gateway.balancing;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import reactor.core.publisher.Mono;

/**
 * The connections that carry model calls to the instances: HTTP/1.1, kept alive, on plain
 * Netty rather than Reactor Netty's client, whose per-call configuration copy, pool
 * subscription chain and read toggles were a tenth of a model call's CPU at one
 * connection (BENCHMARKS.md, "Session 10").
 * <p>
 * Every connection belongs to the event loop of the client's connection that opened it,
 * so a call and its answer never change threads: the idle connections and the waiting
 * calls of one instance on one loop are touched by that loop alone. What the instance's
 * loops share are the bounds: at most {@code maxConnections} open to one instance, and at
 * most {@code maxPending} calls waiting for one, each for at most {@code acquireTimeout}.
 * An idle connection is closed after {@code maxIdleTime}, and an instance nobody calls
 * any more is forgotten with its last connection.
 */
final class InstanceConnections implements AutoCloseable {

	private final InstanceClientSettings settings;

	private final ConcurrentHashMap<Origin, OriginConnections> origins = new ConcurrentHashMap<>();

	/** One per event loop, bounded by their number. */
	private final ConcurrentHashMap<EventLoop, Bootstrap> bootstraps = new ConcurrentHashMap<>();

	private final SslContext tls;

	private final DnsAddressResolverGroup epollNames;

	private final DnsAddressResolverGroup nioNames;

	private volatile ScheduledFuture<?> sweep;

	private volatile boolean closed;

	InstanceConnections(InstanceClientSettings settings, MeterRegistry meters) {
		this.settings = settings;
		// Against max-connections and max-pending: how close the gateway's own bounds are
		// to refusing calls with 503 overloaded.
		Gauge
			.builder("gateway.instances.connections", this,
					(connections) -> connections.sum((instance) -> instance.open))
			.description("Connections open or opening from this gateway to the inference instances, over all instances")
			.register(meters);
		Gauge
			.builder("gateway.instances.connections.waiting", this,
					(connections) -> connections.sum((instance) -> instance.pending))
			.description("Model calls waiting for a connection to an instance to come free, over all instances")
			.register(meters);
		try {
			this.tls = SslContextBuilder.forClient().build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("No TLS for calls to instances over https", ex);
		}
		// Names resolve without blocking the event loop; an address given as numbers
		// needs no lookup at all.
		this.epollNames = new DnsAddressResolverGroup(EpollDatagramChannel.class,
				DnsServerAddressStreamProviders.platformDefault());
		this.nioNames = new DnsAddressResolverGroup(NioDatagramChannel.class,
				DnsServerAddressStreamProviders.platformDefault());
	}

	/**
	 * Sends a POST of {@code body} to {@code target} at {@code origin}, on a connection
	 * of {@code loop}'s.
	 * @param headers the request's headers, {@code Host} and {@code Content-Length}
	 * included
	 * @param body sent as a retained duplicate: the caller keeps it, for another attempt
	 * @param timeout the longest wait for the answer, and for each part of it
	 * @return the answer, once its headers (a streamed one) or all of it (a whole one)
	 * arrived; cancelling it gives up the exchange and closes a connection in its middle
	 */
	Mono<InstanceAnswer> exchange(EventLoop loop, Origin origin, String target, HttpHeaders headers, ByteBuf body,
			Duration timeout) {
		return Mono.create((sink) -> {
			InstanceExchange exchange = new InstanceExchange(loop, sink, target, headers, body, timeout.toNanos());
			sink.onCancel(exchange::cancel);
			start(loop, origin, exchange);
		});
	}

	/**
	 * Starts {@code exchange} on a connection to {@code origin} that belongs to
	 * {@code loop}: an idle one, a new one while the instance has fewer than
	 * {@code maxConnections}, or the next one freed within {@code acquireTimeout}.
	 */
	private void start(EventLoop loop, Origin origin, InstanceExchange exchange) {
		if (!loop.inEventLoop()) {
			loop.execute(() -> start(loop, origin, exchange));
			return;
		}
		if (this.closed) {
			exchange.failed(new IllegalStateException("the gateway is shutting down"));
			return;
		}
		OriginConnections instance = this.origins.computeIfAbsent(origin, OriginConnections::new);
		LoopConnections local = instance.on(loop);
		InstanceConnection idle = local.takeIdle(this.settings.maxIdleTime().toNanos());
		if (idle != null) {
			exchange.start(idle, true);
			return;
		}
		if (instance.reserveConnection(this.settings.maxConnections())) {
			if (instance.retired) {
				instance.open.decrementAndGet();
				startAfterSweep(loop, origin, exchange);
				return;
			}
			connect(local, exchange);
			return;
		}
		if (instance.pending.incrementAndGet() > this.settings.maxPending()) {
			instance.pending.decrementAndGet();
			exchange.failed(NoConnectionFreeException.queueFull(origin, this.settings.maxConnections()));
			return;
		}
		if (instance.retired) {
			instance.pending.decrementAndGet();
			startAfterSweep(loop, origin, exchange);
			return;
		}
		local.queue(exchange, this.settings.acquireTimeout().toMillis());
	}

	/**
	 * The sweep is forgetting the instance this call reached: starts over once it is
	 * done, as a task of the loop's rather than at once, so the call never spins on the
	 * loop's stack while the sweep runs on another.
	 */
	private void startAfterSweep(EventLoop loop, Origin origin, InstanceExchange exchange) {
		loop.execute(() -> start(loop, origin, exchange));
	}

	private void connect(LoopConnections local, InstanceExchange exchange) {
		Origin origin = local.instance.origin;
		Bootstrap bootstrap = this.bootstraps.computeIfAbsent(local.loop, this::bootstrap);
		InetSocketAddress address = NetUtil.isValidIpV4Address(origin.host())
				|| NetUtil.isValidIpV6Address(origin.host())
						? new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(origin.host()),
								origin.port())
						: InetSocketAddress.createUnresolved(origin.host(), origin.port());
		ChannelFuture connecting = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
			@Override
			protected void initChannel(Channel channel) {
				ChannelPipeline pipeline = channel.pipeline();
				if (origin.secure()) {
					SslHandler handler = InstanceConnections.this.tls.newHandler(channel.alloc(), origin.host(),
							origin.port());
					SSLEngine engine = handler.engine();
					SSLParameters parameters = engine.getSSLParameters();
					parameters.setEndpointIdentificationAlgorithm("HTTPS");
					engine.setSSLParameters(parameters);
					pipeline.addLast(handler);
				}
				pipeline.addLast(new HttpClientCodec());
				pipeline.addLast(new InstanceConnection(channel, local));
			}
		}).connect(address);
		connecting.addListener((ChannelFuture done) -> {
			if (done.isSuccess()) {
				exchange.start(done.channel().pipeline().get(InstanceConnection.class), false);
			}
			else {
				// A connection that never opened is never closed either: its place goes
				// back here.
				local.instance.open.decrementAndGet();
				local.instance.serveWaiters();
				exchange.failed(done.cause());
			}
		});
		sweepFrom(local.loop);
	}

	private Bootstrap bootstrap(EventLoop loop) {
		boolean epoll = loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class);
		Class<? extends SocketChannel> type = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
		return new Bootstrap().group(loop)
			.channel(type)
			.resolver(epoll ? this.epollNames : this.nioNames)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.settings.connectTimeout().toMillis())
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.SO_KEEPALIVE, true);
	}

	private double sum(Function<OriginConnections, AtomicInteger> count) {
		double sum = 0;
		for (OriginConnections instance : this.origins.values()) {
			sum += count.apply(instance).get();
		}
		return sum;
	}

	/**
	 * Starts the sweep that closes what idled past {@code maxIdleTime} and forgets the
	 * instances left unused, once, on the first loop that connects.
	 */
	private void sweepFrom(EventLoop loop) {
		if (this.sweep != null) {
			return;
		}
		synchronized (this) {
			if (this.sweep == null && !this.closed) {
				long period = Math.max(1, this.settings.maxIdleTime().toMillis() / 2);
				this.sweep = loop.scheduleAtFixedRate(this::sweepOnce, period, period, TimeUnit.MILLISECONDS);
			}
		}
	}

	private void sweepOnce() {
		long maxIdle = this.settings.maxIdleTime().toNanos();
		this.origins.forEach((origin, instance) -> {
			if (instance.open.get() == 0 && instance.pending.get() == 0) {
				instance.retired = true;
				if (instance.open.get() == 0 && instance.pending.get() == 0) {
					this.origins.remove(origin, instance);
					return;
				}
				instance.retired = false;
			}
			instance.loops.forEach((loop, local) -> loop.execute(() -> local.closeIdle(maxIdle)));
		});
	}

	@Override
	public void close() {
		this.closed = true;
		ScheduledFuture<?> sweep = this.sweep;
		if (sweep != null) {
			sweep.cancel(false);
		}
		this.origins.forEach((origin, instance) -> instance.loops.forEach((loop, local) -> {
			try {
				loop.execute(() -> local.closeIdle(-1));
			}
			catch (RejectedExecutionException ex) {
				// The loop stopped first, and its connections with it.
			}
		}));
		this.epollNames.close();
		this.nioNames.close();
	}

	/** Where an instance listens: scheme, host and port of its base URL. */
	record Origin(boolean secure, String host, int port) {

		static Origin of(String baseUrl) {
			return of(URI.create(baseUrl));
		}

		static Origin of(URI uri) {
			boolean secure = "https".equalsIgnoreCase(uri.getScheme());
			String host = uri.getHost();
			if (host == null) {
				throw new IllegalArgumentException("no host in " + uri);
			}
			if (host.startsWith("[") && host.endsWith("]")) {
				host = host.substring(1, host.length() - 1);
			}
			int port = (uri.getPort() != -1) ? uri.getPort() : (secure ? 443 : 80);
			return new Origin(secure, host, port);
		}

		/** What the instance gets as {@code Host}. */
		String authority() {
			String name = (this.host.indexOf(':') >= 0) ? "[" + this.host + "]" : this.host;
			return name + ":" + this.port;
		}

	}

	/** One instance's connections over every loop, and the bounds they share. */
	final class OriginConnections {

		final Origin origin;

		/** Connections open or opening. */
		final AtomicInteger open = new AtomicInteger();

		/** Calls waiting for a connection. */
		final AtomicInteger pending = new AtomicInteger();

		final ConcurrentHashMap<EventLoop, LoopConnections> loops = new ConcurrentHashMap<>(4);

		/**
		 * Set while the sweep forgets this instance: a call that reserved a place in the
		 * meantime gives it back and starts over on the instance's new entry.
		 */
		volatile boolean retired;

		OriginConnections(Origin origin) {
			this.origin = origin;
		}

		LoopConnections on(EventLoop loop) {
			LoopConnections local = this.loops.get(loop);
			return (local != null) ? local : this.loops.computeIfAbsent(loop, (key) -> new LoopConnections(this, key));
		}

		boolean reserveConnection(int max) {
			if (this.open.incrementAndGet() <= max) {
				return true;
			}
			this.open.decrementAndGet();
			return false;
		}

		/** A place came free: the loops with waiting calls may open a connection each. */
		void serveWaiters() {
			if (this.pending.get() == 0) {
				return;
			}
			this.loops.forEach((loop, local) -> {
				if (loop.inEventLoop()) {
					local.serveWaiter();
				}
				else {
					loop.execute(local::serveWaiter);
				}
			});
		}

	}

	/** One instance's connections on one event loop, touched by that loop alone. */
	final class LoopConnections {

		final OriginConnections instance;

		final EventLoop loop;

		/** Most recently used last: the next call takes the warmest. */
		private final ArrayDeque<InstanceConnection> idle = new ArrayDeque<>();

		private final ArrayDeque<InstanceExchange> waiting = new ArrayDeque<>();

		LoopConnections(OriginConnections instance, EventLoop loop) {
			this.instance = instance;
			this.loop = loop;
		}

		InstanceConnection takeIdle(long maxIdleNanos) {
			InstanceConnection connection;
			while ((connection = this.idle.pollLast()) != null) {
				if (connection.channel.isActive() && System.nanoTime() - connection.idleSince < maxIdleNanos) {
					return connection;
				}
				connection.channel.close();
			}
			return null;
		}

		/**
		 * Queues a call for the next connection free, for at most {@code timeoutMillis}.
		 */
		void queue(InstanceExchange exchange, long timeoutMillis) {
			this.waiting.addLast(exchange);
			exchange.waitFor(this, this.loop.schedule(() -> {
				if (this.waiting.remove(exchange)) {
					this.instance.pending.decrementAndGet();
					exchange.failed(NoConnectionFreeException.waited(this.instance.origin, timeoutMillis));
				}
			}, timeoutMillis, TimeUnit.MILLISECONDS));
		}

		/** A call that waited for a connection no longer wants one. */
		void stopWaiting(InstanceExchange exchange) {
			if (this.waiting.remove(exchange)) {
				this.instance.pending.decrementAndGet();
			}
		}

		/** Starts {@code exchange} again, on another connection of this loop's. */
		void retry(InstanceExchange exchange) {
			start(this.loop, this.instance.origin, exchange);
		}

		/**
		 * The exchange on {@code connection} ended with the connection fit for another.
		 */
		void release(InstanceConnection connection) {
			InstanceExchange next = this.waiting.pollFirst();
			if (next != null) {
				this.instance.pending.decrementAndGet();
				next.start(connection, true);
				return;
			}
			connection.idleSince = System.nanoTime();
			this.idle.addLast(connection);
		}

		/** {@code connection} closed: its place goes to a waiting call, if any. */
		void closed(InstanceConnection connection) {
			this.idle.remove(connection);
			this.instance.open.decrementAndGet();
			this.instance.serveWaiters();
		}

		void serveWaiter() {
			if (this.waiting.isEmpty()
					|| !this.instance.reserveConnection(InstanceConnections.this.settings.maxConnections())) {
				return;
			}
			InstanceExchange next = this.waiting.pollFirst();
			this.instance.pending.decrementAndGet();
			connect(this, next);
		}

		void closeIdle(long maxIdleNanos) {
			long now = System.nanoTime();
			for (InstanceConnection connection : this.idle.toArray(InstanceConnection[]::new)) {
				if (maxIdleNanos < 0 || now - connection.idleSince >= maxIdleNanos) {
					this.idle.remove(connection);
					connection.channel.close();
				}
			}
		}

	}

}
