package io.servinglayer.gateway.balancing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.servinglayer.gateway.balancing.InstanceConnections.Origin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's own connections to the instances, against real HTTP servers on loopback:
 * kept alive, bounded, timed, and every failure read as {@link UpstreamFailure} reads it.
 */
class InstanceConnectionsTests {

	private static final byte[] REQUEST = "{\"inputs\": []}".getBytes(StandardCharsets.UTF_8);

	private final MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(1,
			Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());

	private final EventLoop loop = this.loops.next();

	private final List<AutoCloseable> closing = new ArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	/** The client ports the test's server saw a request from: one per connection. */
	private final Set<Integer> connectionsSeen = ConcurrentHashMap.newKeySet();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closing) {
			closeable.close();
		}
		this.loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
	}

	@Test
	void callsInTurnShareOneKeptAliveConnection() {
		Origin origin = server((exchange) -> answer(exchange, 200, "{\"n\": 1}"));
		InstanceConnections connections = connections(settings(10, 10, Duration.ofSeconds(2), Duration.ofSeconds(15)));

		for (int i = 0; i < 5; i++) {
			InstanceAnswer answer = call(connections, origin, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
			assertThat(answer.status()).isEqualTo(200);
			assertThat(answer.whole()).isTrue();
			assertThat(body(answer)).isEqualTo("{\"n\": 1}");
		}
		assertThat(this.connectionsSeen).hasSize(1);
	}

	@Test
	void anInstanceAnnouncedByNameIsReachedThroughTheResolver() {
		Origin byAddress = server((exchange) -> answer(exchange, 200, "{}"));
		Origin byName = new Origin(false, "localhost", byAddress.port());
		InstanceConnections connections = connections(settings(10, 10, Duration.ofSeconds(2), Duration.ofSeconds(15)));

		assertThat(call(connections, byName, Duration.ofSeconds(5)).block(Duration.ofSeconds(10)).status())
			.isEqualTo(200);
	}

	@Test
	void theRequestArrivesWithItsHeadersAndBodyAsSent() {
		List<String> seen = new ArrayList<>();
		Origin origin = server((exchange) -> {
			seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
					+ exchange.getRequestHeaders().getFirst("X-Request-Id") + " "
					+ new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			answer(exchange, 200, "{}");
		});
		InstanceConnections connections = connections(settings(10, 10, Duration.ofSeconds(2), Duration.ofSeconds(15)));

		HttpHeaders headers = headers(origin);
		headers.set("X-Request-Id", "r-1");
		connections
			.exchange(this.loop, origin, "/v2/models/fraud/versions/1/infer?explain=1", headers,
					Unpooled.wrappedBuffer(REQUEST), Duration.ofSeconds(5))
			.block(Duration.ofSeconds(10))
			.discard();

		assertThat(seen).containsExactly("POST /v2/models/fraud/versions/1/infer?explain=1 r-1 {\"inputs\": []}");
	}

	@Test
	void anAnswerThatClosesTheConnectionIsNotFollowedOnIt() {
		Origin origin = server((exchange) -> {
			exchange.getResponseHeaders().set("Connection", "close");
			answer(exchange, 200, "{}");
		});
		InstanceConnections connections = connections(settings(10, 10, Duration.ofSeconds(2), Duration.ofSeconds(15)));

		for (int i = 0; i < 3; i++) {
			assertThat(call(connections, origin, Duration.ofSeconds(5)).block(Duration.ofSeconds(10)).status())
				.isEqualTo(200);
		}
		assertThat(this.connectionsSeen).hasSize(3);
	}

	@Test
	void aConnectionIdleLongerThanMaxIdleTimeIsNotUsedAgain() throws Exception {
		Origin origin = server((exchange) -> answer(exchange, 200, "{}"));
		InstanceConnections connections = connections(settings(10, 10, Duration.ofSeconds(2), Duration.ofMillis(200)));

		call(connections, origin, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
		Thread.sleep(400);
		call(connections, origin, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));

		assertThat(this.connectionsSeen).hasSize(2);
	}

	@Test
	void aLargeAnswerStreamsWholeAndInOrderAndItsConnectionServesTheNextCall() {
		byte[] large = new byte[1024 * 1024];
		for (int i = 0; i < large.length; i++) {
			large[i] = (byte) ('a' + i % 26);
		}
		Origin origin = server((exchange) -> {
			exchange.getRequestBody().readAllBytes();
			// Chunked: a length the gateway does not know in advance.
			exchange.sendResponseHeaders(200, 0);
			try (OutputStream out = exchange.getResponseBody()) {
				for (int offset = 0; offset < large.length; offset += 10_000) {
					out.write(large, offset, Math.min(10_000, large.length - offset));
					out.flush();
				}
			}
		});
		InstanceConnections connections = connections(settings(10, 10, Duration.ofSeconds(2), Duration.ofSeconds(15)));

		InstanceAnswer answer = call(connections, origin, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
		assertThat(answer.whole()).isFalse();
		byte[] received = Flux.from(answer.body()).reduce(new java.io.ByteArrayOutputStream(), (all, part) -> {
			all.writeBytes(ByteBufUtil.getBytes(part));
			part.release();
			return all;
		}).block(Duration.ofSeconds(10)).toByteArray();

		assertThat(received).isEqualTo(large);
		InstanceAnswer next = call(connections, origin, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
		next.discard();
		assertThat(next.whole()).isFalse();
		assertThat(this.connectionsSeen).hasSize(1);
	}

	@Test
	void anAnswerOfKnownLengthThatArrivesInPartsIsHandedOnWholeAndIntact() {
		byte[] answer = new byte[40_000];
		for (int i = 0; i < answer.length; i++) {
			answer[i] = (byte) ('A' + i % 26);
		}
		Origin origin = server((exchange) -> {
			exchange.getRequestBody().readAllBytes();
			exchange.sendResponseHeaders(200, answer.length);
			try (OutputStream out = exchange.getResponseBody()) {
				for (int offset = 0; offset < answer.length; offset += 10_000) {
					out.write(answer, offset, 10_000);
					out.flush();
					sleep(20);
				}
			}
		});
		InstanceConnections connections = connections(settings(10, 10, Duration.ofSeconds(2), Duration.ofSeconds(15)));

		InstanceAnswer whole = call(connections, origin, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
		assertThat(whole.whole()).isTrue();
		ByteBuf body = Mono.from(whole.body()).block(Duration.ofSeconds(5));
		try {
			assertThat(ByteBufUtil.getBytes(body)).isEqualTo(answer);
		}
		finally {
			body.release();
		}
	}

	@Test
	void aStreamedAnswerThatStopsBeingHttpFailsAsTheInstancesConnectionFailure() {
		Origin origin = rawServer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n", 5000);
		InstanceConnections connections = connections(settings(10, 10, Duration.ofSeconds(2), Duration.ofSeconds(15)));

		InstanceAnswer answer = call(connections, origin, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
		assertThat(answer.whole()).isFalse();
		assertThatThrownBy(() -> Flux.from(answer.body()).doOnNext(ByteBuf::release).blockLast(Duration.ofSeconds(3)))
			.satisfies(
					(failure) -> assertThat(UpstreamFailure.of(failure)).isEqualTo(UpstreamFailure.CONNECTION_FAILED));
	}

	@Test
	void noMoreThanMaxConnectionsOpenAndCallsPastTheWaitingLimitAreTheGatewaysOverload() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger mostInFlight = new AtomicInteger();
		Origin origin = server((exchange) -> {
			mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
			awaitRelease(release);
			inFlight.decrementAndGet();
			answer(exchange, 200, "{}");
		});
		InstanceConnections connections = connections(settings(2, 1, Duration.ofSeconds(10), Duration.ofSeconds(15)));

		List<Mono<InstanceAnswer>> calls = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			calls.add(call(connections, origin, Duration.ofSeconds(10)).cache());
			calls.get(i).subscribe();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> inFlight.get() == 2);
		assertThat(this.meters.get("gateway.instances.connections").gauge().value()).isEqualTo(2);
		assertThat(this.meters.get("gateway.instances.connections.waiting").gauge().value()).isEqualTo(1);
		assertThatThrownBy(() -> call(connections, origin, Duration.ofSeconds(10)).block(Duration.ofSeconds(5)))
			.satisfies(
					(failure) -> assertThat(UpstreamFailure.of(failure)).isEqualTo(UpstreamFailure.GATEWAY_OVERLOADED));

		release.countDown();
		for (Mono<InstanceAnswer> call : calls) {
			assertThat(call.block(Duration.ofSeconds(10)).status()).isEqualTo(200);
		}
		assertThat(mostInFlight).hasValue(2);
		assertThat(this.meters.get("gateway.instances.connections.waiting").gauge().value()).isZero();
		assertThat(this.connectionsSeen).hasSize(2);
	}

	@Test
	void aCallThatWaitsPastTheAcquireTimeoutIsTheGatewaysOverloadNeverTheInstances() {
		CountDownLatch release = new CountDownLatch(1);
		Origin origin = server((exchange) -> {
			awaitRelease(release);
			answer(exchange, 200, "{}");
		});
		InstanceConnections connections = connections(settings(1, 10, Duration.ofMillis(200), Duration.ofSeconds(15)));
		Mono<InstanceAnswer> first = call(connections, origin, Duration.ofSeconds(10)).cache();
		first.subscribe();

		assertThatThrownBy(() -> call(connections, origin, Duration.ofSeconds(10)).block(Duration.ofSeconds(5)))
			.satisfies((failure) -> {
				assertThat(UpstreamFailure.of(failure)).isEqualTo(UpstreamFailure.GATEWAY_OVERLOADED);
				assertThat(UpstreamFailure.of(failure).instancesDoing()).isFalse();
			});
		release.countDown();
		assertThat(first.block(Duration.ofSeconds(10)).status()).isEqualTo(200);
	}

	@Test
	void aCallGivenUpMidwayClosesItsConnectionAndGivesItsPlaceToTheNext() {
		// Far longer than the test waits: only the gateway's close frees the place.
		Origin origin = slowOnFirstCall(20_000);
		InstanceConnections connections = connections(settings(1, 10, Duration.ofSeconds(5), Duration.ofSeconds(15)));

		var givenUp = call(connections, origin, Duration.ofSeconds(10)).subscribe();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.connectionsSeen.size() == 1);
		givenUp.dispose();
		await().atMost(Duration.ofSeconds(3))
			.until(() -> this.meters.get("gateway.instances.connections").gauge().value() == 0);

		assertThat(call(connections, origin, Duration.ofSeconds(5)).block(Duration.ofSeconds(10)).status())
			.isEqualTo(200);
		assertThat(this.connectionsSeen).hasSize(2);
	}

	@Test
	void aRefusedConnectionIsUnreachable() throws IOException {
		int port;
		try (ServerSocket closed = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			port = closed.getLocalPort();
		}
		Origin origin = new Origin(false, "127.0.0.1", port);
		InstanceConnections connections = connections(settings(10, 10, Duration.ofSeconds(2), Duration.ofSeconds(15)));

		assertThatThrownBy(() -> call(connections, origin, Duration.ofSeconds(5)).block(Duration.ofSeconds(10)))
			.satisfies((failure) -> assertThat(UpstreamFailure.of(failure)).isEqualTo(UpstreamFailure.UNREACHABLE));
	}

	@Test
	void anInstanceSilentPastTheTimeoutIsATimeoutAndItsConnectionIsNotReused() {
		Origin origin = slowOnFirstCall(1500);
		InstanceConnections connections = connections(settings(10, 10, Duration.ofSeconds(2), Duration.ofSeconds(15)));

		assertThatThrownBy(() -> call(connections, origin, Duration.ofMillis(300)).block(Duration.ofSeconds(10)))
			.satisfies((failure) -> assertThat(UpstreamFailure.of(failure)).isEqualTo(UpstreamFailure.TIMEOUT));
		assertThat(call(connections, origin, Duration.ofSeconds(5)).block(Duration.ofSeconds(10)).status())
			.isEqualTo(200);
		assertThat(this.connectionsSeen).hasSize(2);
	}

	@Test
	void anAnswerCutShortIsAConnectionFailureOfTheInstance() {
		Origin origin = rawServer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"outputs\"", 0);
		InstanceConnections connections = connections(settings(10, 10, Duration.ofSeconds(2), Duration.ofSeconds(15)));

		assertThatThrownBy(() -> call(connections, origin, Duration.ofSeconds(5)).block(Duration.ofSeconds(10)))
			.satisfies((failure) -> {
				assertThat(UpstreamFailure.of(failure)).isEqualTo(UpstreamFailure.CONNECTION_FAILED);
				assertThat(UpstreamFailure.of(failure).instancesDoing()).isTrue();
			});
	}

	private Mono<InstanceAnswer> call(InstanceConnections connections, Origin origin, Duration timeout) {
		return connections.exchange(this.loop, origin, "/v2/models/fraud/versions/1/infer", headers(origin),
				Unpooled.wrappedBuffer(REQUEST), timeout);
	}

	private static HttpHeaders headers(Origin origin) {
		HttpHeaders headers = new DefaultHttpHeaders();
		headers.set(HttpHeaderNames.HOST, origin.authority());
		headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
		headers.setInt(HttpHeaderNames.CONTENT_LENGTH, REQUEST.length);
		return headers;
	}

	private static String body(InstanceAnswer answer) {
		ByteBuf body = Mono.from(answer.body()).block(Duration.ofSeconds(5));
		try {
			return body.toString(StandardCharsets.UTF_8);
		}
		finally {
			body.release();
		}
	}

	private InstanceConnections connections(InstanceClientSettings settings) {
		InstanceConnections connections = new InstanceConnections(settings, this.meters);
		this.closing.add(connections);
		return connections;
	}

	private static InstanceClientSettings settings(int maxConnections, int maxPending, Duration acquireTimeout,
			Duration maxIdleTime) {
		return new InstanceClientSettings(Duration.ofSeconds(2), maxConnections, maxPending, acquireTimeout,
				maxIdleTime);
	}

	private Origin server(HttpHandler handler) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			ExecutorService threads = Executors.newCachedThreadPool();
			server.setExecutor(threads);
			server.createContext("/", (exchange) -> {
				this.connectionsSeen.add(exchange.getRemoteAddress().getPort());
				handler.handle(exchange);
			});
			server.start();
			this.closing.add(() -> {
				server.stop(0);
				threads.shutdownNow();
			});
			return new Origin(false, "127.0.0.1", server.getAddress().getPort());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A server that answers at once, but for its first call, which waits {@code millis}
	 * first.
	 */
	private Origin slowOnFirstCall(long millis) {
		AtomicInteger calls = new AtomicInteger();
		return server((exchange) -> {
			if (calls.incrementAndGet() == 1) {
				sleep(millis);
			}
			answer(exchange, 200, "{}");
		});
	}

	/**
	 * A server for one connection that answers its request with {@code bytes} as they
	 * are, then holds the connection open for {@code holdMillis} before closing it.
	 */
	private Origin rawServer(String bytes, long holdMillis) {
		try {
			ServerSocket server = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
			this.closing.add(server);
			Thread answering = new Thread(() -> {
				try (Socket socket = server.accept()) {
					socket.getInputStream().read(new byte[4096]);
					socket.getOutputStream().write(bytes.getBytes(StandardCharsets.UTF_8));
					socket.getOutputStream().flush();
					sleep(holdMillis);
				}
				catch (IOException ex) {
					// the test fails on what the client saw
				}
			});
			answering.setDaemon(true);
			answering.start();
			return new Origin(false, "127.0.0.1", server.getLocalPort());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void answer(HttpExchange exchange, int status, String body) throws IOException {
		exchange.getRequestBody().readAllBytes();
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static void awaitRelease(CountDownLatch latch) {
		try {
			latch.await(20, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
