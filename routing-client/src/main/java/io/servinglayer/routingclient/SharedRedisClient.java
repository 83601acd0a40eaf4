package io.servinglayer.routingclient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * The one Lettuce client of a data-plane service, to a single Redis node or to a Redis
 * Cluster, from which each user of Redis opens the connection it needs (the gateway one
 * for everything, an inference instance one for online reads, one for announcements, and
 * the routing follower one for pub/sub). All its connections share the client's threads
 * and event loops.
 *
 * <p>
 * What every connection gets: a connect timeout (which also bounds the handshake and, on
 * a cluster, topology reads); a command timeout of its own (given when it is opened);
 * while disconnected, commands fail at once instead of queueing; at most
 * {@value #REQUEST_QUEUE_SIZE} commands waiting per connection. On a cluster, the client
 * follows the topology (adaptive refresh on MOVED, ASK and lost connections, and a
 * periodic refresh every {@value #TOPOLOGY_REFRESH_SECONDS} s), and each command goes to
 * the node owning its key's slot; a command or script over several keys needs them in one
 * slot, which the layouts in {@code contracts} give with hash tags.
 *
 * <p>
 * Where Redis is, as {@link #create(String, boolean, Duration)} reads it:
 * <ul>
 * <li>single node: {@code redis://[user:password@]host:port[/database]} (or
 * {@code rediss://} for TLS);</li>
 * <li>cluster: the same form, with one or more seed nodes separated by commas:
 * {@code redis://:password@10.0.0.1:6379,10.0.0.2:6379,10.0.0.3:6379}. The scheme and
 * credentials of the first apply to all; the client discovers the other nodes from any
 * seed that answers.</li>
 * </ul>
 */
public final class SharedRedisClient implements AutoCloseable {

	/**
	 * Bounded, but above what the services' own bounds let into one connection at once:
	 * the gateway's outcome recorder alone may have {@code outcomes.max-in-flight} hashes
	 * of up to a dozen commands each in flight (at 10,000, a test of flushes racing
	 * requests lost counts to this bound).
	 */
	static final int REQUEST_QUEUE_SIZE = 1_000_000;

	static final int TOPOLOGY_REFRESH_SECONDS = 30;

	private final String location;

	private final RedisClient single;

	private final RedisURI singleNode;

	private final RedisClusterClient cluster;

	private final ClientResources resources;

	private final Duration connectTimeout;

	private SharedRedisClient(String location, RedisClient single, RedisURI singleNode, RedisClusterClient cluster,
			ClientResources resources, Duration connectTimeout) {
		this.resources = resources;
		this.connectTimeout = connectTimeout;
		this.location = location;
		this.single = single;
		this.singleNode = singleNode;
		this.cluster = cluster;
	}

	/**
	 * @param uri where Redis is (see the class documentation)
	 * @param cluster whether it is a Redis Cluster; {@code uri} may then name several
	 * seed nodes
	 * @param connectTimeout how long opening one connection may take
	 * @throws IllegalArgumentException when {@code uri} is not a Redis URI, or names
	 * several nodes of a single-node Redis
	 */
	public static SharedRedisClient create(String uri, boolean cluster, Duration connectTimeout) {
		List<RedisURI> nodes = nodes(uri);
		// Bounds the handshake (AUTH, HELLO) and topology reads; each connection then
		// takes the command timeout its user gives.
		nodes.forEach((node) -> node.setTimeout(connectTimeout));
		if (!cluster && nodes.size() > 1) {
			throw new IllegalArgumentException("the Redis URI " + masked(uri)
					+ " names several nodes, which only a cluster has; set the service's redis cluster setting to true");
		}
		SocketOptions socket = SocketOptions.builder().connectTimeout(connectTimeout).build();
		// Lettuce records every command's latency by default; nothing reads those figures
		// here, and recording them cost more CPU than a pipelined command itself.
		ClientResources resources = ClientResources.builder()
			.commandLatencyRecorder(CommandLatencyRecorder.disabled())
			.build();
		if (!cluster) {
			RedisClient client = RedisClient.create(resources, nodes.get(0));
			client.setOptions(ClientOptions.builder()
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.requestQueueSize(REQUEST_QUEUE_SIZE)
				.socketOptions(socket)
				// Each connection's own timeout (StatefulConnection.setTimeout).
				.timeoutOptions(TimeoutOptions.enabled())
				.build());
			return new SharedRedisClient(masked(uri), client, nodes.get(0), null, resources, connectTimeout);
		}
		RedisClusterClient client = RedisClusterClient.create(resources, nodes);
		client.setOptions(ClusterClientOptions.builder()
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.requestQueueSize(REQUEST_QUEUE_SIZE)
			.socketOptions(socket)
			.timeoutOptions(TimeoutOptions.enabled())
			.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
				.enableAllAdaptiveRefreshTriggers()
				.enablePeriodicRefresh(Duration.ofSeconds(TOPOLOGY_REFRESH_SECONDS))
				.build())
			.build());
		return new SharedRedisClient(masked(uri) + " (cluster)", null, null, client, resources, connectTimeout);
	}

	/** Whether this client talks to a Redis Cluster. */
	public boolean cluster() {
		return this.cluster != null;
	}

	/** Where Redis is, without credentials, for logs. */
	public String location() {
		return this.location;
	}

	/**
	 * Opens a connection for commands.
	 * @param commandTimeout how long one command may take on it
	 * @throws io.lettuce.core.RedisException when Redis cannot be reached
	 */
	public Connection connect(Duration commandTimeout) {
		return Connection.of(open(commandTimeout));
	}

	/**
	 * Opens a connection for commands without blocking; the future fails when Redis
	 * cannot be reached.
	 * @param commandTimeout how long one command may take on it
	 */
	public CompletableFuture<Connection> connectAsync(Duration commandTimeout) {
		CompletableFuture<? extends StatefulConnection<String, String>> opening = (this.cluster != null)
				// Unlike connect(), connectAsync() does not read the topology first.
				? this.cluster.refreshPartitionsAsync()
					.toCompletableFuture()
					.thenCompose((read) -> this.cluster.connectAsync(StringCodec.UTF8))
					.thenCompose((opened) -> connectToPrimaries(opened).thenApply((connected) -> opened))
				: this.single.connectAsync(StringCodec.UTF8, this.singleNode).toCompletableFuture();
		return opening.thenApply((opened) -> {
			opened.setTimeout(commandTimeout);
			return Connection.of(opened);
		});
	}

	/**
	 * Opens a connection for pub/sub. On a cluster it subscribes through one node, which
	 * hears every node's (non-sharded) publications.
	 * @param commandTimeout how long one command (such as SUBSCRIBE) may take on it
	 */
	public StatefulRedisPubSubConnection<String, String> connectPubSub(Duration commandTimeout) {
		StatefulRedisPubSubConnection<String, String> opened = (this.cluster != null) ? this.cluster.connectPubSub()
				: this.single.connectPubSub();
		opened.setTimeout(commandTimeout);
		return opened;
	}

	private StatefulConnection<String, String> open(Duration commandTimeout) {
		StatefulConnection<String, String> opened;
		if (this.cluster != null) {
			StatefulRedisClusterConnection<String, String> clusterConnection = this.cluster.connect();
			connectToPrimaries(clusterConnection).join();
			opened = clusterConnection;
		}
		else {
			opened = this.single.connect();
		}
		opened.setTimeout(commandTimeout);
		return opened;
	}

	/**
	 * Opens the cluster connection's link to every primary now. Lettuce opens them on the
	 * first command for each node's slots, and that command's timeout then covers the
	 * connect and handshake too: a service's first feature read after start, spread over
	 * every node, could time out on a loaded machine. Best effort, bounded by the connect
	 * timeout: a node that cannot be reached now fails its own commands later, as it
	 * would anyway.
	 */
	private CompletableFuture<Void> connectToPrimaries(StatefulRedisClusterConnection<String, String> connection) {
		CompletableFuture<?>[] links = connection.getPartitions()
			.stream()
			.filter((node) -> node.is(RedisClusterNode.NodeFlag.UPSTREAM))
			.map((node) -> connection.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort())
				// A future of our own: the one Lettuce answers is its cached link.
				.handle((link, failed) -> (Void) null)
				.completeOnTimeout(null, this.connectTimeout.toMillis(), TimeUnit.MILLISECONDS))
			.toArray(CompletableFuture[]::new);
		return CompletableFuture.allOf(links);
	}

	@Override
	public void close() {
		AbstractRedisClient client = (this.cluster != null) ? this.cluster : this.single;
		client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		this.resources.shutdown(0, 1, TimeUnit.SECONDS);
	}

	/**
	 * The seed nodes {@code uri} names:
	 * {@code scheme://[userinfo@]host:port[,host:port...][/path][?query]}, each with the
	 * first's scheme, credentials, path and query.
	 */
	static List<RedisURI> nodes(String uri) {
		if (uri == null || uri.isBlank()) {
			throw new IllegalArgumentException("a Redis URI is required, such as redis://127.0.0.1:6379");
		}
		int schemeEnd = uri.indexOf("://");
		if (schemeEnd < 0) {
			throw new IllegalArgumentException(
					"not a Redis URI: " + masked(uri) + "; expected redis://host:port or rediss://host:port");
		}
		int authorityStart = schemeEnd + 3;
		int authorityEnd = uri.length();
		for (int i = authorityStart; i < uri.length(); i++) {
			char c = uri.charAt(i);
			if (c == '/' || c == '?') {
				authorityEnd = i;
				break;
			}
		}
		String authority = uri.substring(authorityStart, authorityEnd);
		int at = authority.lastIndexOf('@');
		String userInfo = (at >= 0) ? authority.substring(0, at + 1) : "";
		String hosts = authority.substring(at + 1);
		String prefix = uri.substring(0, authorityStart) + userInfo;
		String rest = uri.substring(authorityEnd);
		List<RedisURI> nodes = new ArrayList<>();
		for (String host : hosts.split(",")) {
			if (host.isBlank()) {
				throw new IllegalArgumentException("the Redis URI " + masked(uri) + " has an empty host");
			}
			try {
				nodes.add(RedisURI.create(prefix + host.strip() + rest));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("not a Redis URI: " + masked(uri) + " (" + ex.getMessage() + ")",
						ex);
			}
		}
		return nodes;
	}

	/** The URI without its user information (which may hold a password). */
	public static String masked(String uri) {
		return (uri != null) ? uri.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^@/]*@", "$1***@") : null;
	}

	/**
	 * One connection, single node or cluster, through the command interfaces both share.
	 *
	 * @param connection the connection: to flush manually, check, close
	 * @param sync blocking commands
	 * @param async commands answering futures
	 * @param reactive commands answering publishers
	 */
	public record Connection(StatefulConnection<String, String> connection, RedisClusterCommands<String, String> sync,
			RedisClusterAsyncCommands<String, String> async,
			RedisClusterReactiveCommands<String, String> reactive) implements AutoCloseable {

		static Connection of(StatefulConnection<String, String> opened) {
			if (opened instanceof StatefulRedisClusterConnection<String, String> cluster) {
				return new Connection(cluster, cluster.sync(), cluster.async(), cluster.reactive());
			}
			StatefulRedisConnection<String, String> single = (StatefulRedisConnection<String, String>) opened;
			return new Connection(single, single.sync(), single.async(), single.reactive());
		}

		public boolean isOpen() {
			return this.connection.isOpen();
		}

		@Override
		public void close() {
			this.connection.close();
		}

	}

}
