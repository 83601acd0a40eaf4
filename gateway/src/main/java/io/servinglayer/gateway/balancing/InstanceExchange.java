package io.servinglayer.gateway.balancing;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.MonoSink;

/**
 * One model call's request to one instance and its answer, on one connection, touched by
 * that connection's event loop alone. An answer of a known length up to
 * {@link #WHOLE_ANSWER} is handed on whole, once it has all arrived; a larger one, or one
 * of unknown length, is handed on at its headers and its body streamed, read from the
 * instance only as fast as the client takes it. The deployment's timeout bounds the wait
 * for the answer and each silence within it.
 */
final class InstanceExchange implements ChannelFutureListener, Runnable {

	/** The largest answer handed on whole; a larger one streams. */
	static final long WHOLE_ANSWER = 64 * 1024;

	private final EventLoop loop;

	private final MonoSink<InstanceAnswer> answer;

	private final String target;

	private final HttpHeaders headers;

	private final ByteBuf body;

	private final long timeoutNanos;

	private InstanceConnection connection;

	private boolean reused;

	private boolean rewritten;

	/** The wait for a connection, then for the answer. */
	private ScheduledFuture<?> timer;

	private InstanceConnections.LoopConnections waitingIn;

	private long lastRead;

	private boolean informational;

	private int status = -1;

	private HttpHeaders answerHeaders;

	private boolean keepAlive;

	private long length;

	private ByteBuf whole;

	/** Whether {@link #whole} is a buffer of the exchange's own, the parts copied in. */
	private boolean joined;

	private Streamed streamed;

	private boolean done;

	/**
	 * @param body the request's body, sent as a retained duplicate: the caller keeps it
	 * for another attempt
	 */
	InstanceExchange(EventLoop loop, MonoSink<InstanceAnswer> answer, String target, HttpHeaders headers, ByteBuf body,
			long timeoutNanos) {
		this.loop = loop;
		this.answer = answer;
		this.target = target;
		this.headers = headers;
		this.body = body;
		this.timeoutNanos = timeoutNanos;
	}

	/** Waits in {@code local}'s queue for a connection, until {@code timer} fires. */
	void waitFor(InstanceConnections.LoopConnections local, ScheduledFuture<?> timer) {
		this.waitingIn = local;
		this.timer = timer;
	}

	/** Sends the request on {@code connection}, its own until the answer has arrived. */
	void start(InstanceConnection connection, boolean reused) {
		stopTimer();
		this.waitingIn = null;
		if (this.done) {
			// Cancelled while the connection was opening: it serves the next call.
			connection.local.release(connection);
			return;
		}
		this.connection = connection;
		this.reused = reused;
		connection.current = this;
		this.lastRead = System.nanoTime();
		this.timer = this.loop.schedule(this, this.timeoutNanos, TimeUnit.NANOSECONDS);
		connection.channel
			.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, this.target,
					this.body.retainedDuplicate(), this.headers, EmptyHttpHeaders.INSTANCE))
			.addListener(this);
	}

	/** The request's write ended. */
	@Override
	public void operationComplete(ChannelFuture write) {
		if (write.isSuccess() || this.done || write.channel() != channel()) {
			return;
		}
		if (this.reused && !this.rewritten && this.status < 0) {
			// A kept-alive connection the instance closed as the call set out: nothing
			// reached it, so the call goes again, once, on another connection.
			this.rewritten = true;
			InstanceConnection stale = detach();
			stopTimer();
			stale.channel.close();
			stale.local.retry(this);
			return;
		}
		failed(write.cause());
	}

	void read(Object message) {
		this.lastRead = System.nanoTime();
		if (message instanceof HttpResponse response) {
			if (response.decoderResult().isFailure()) {
				ReferenceCountUtil.release(message);
				failed(new InstanceClosedException());
				return;
			}
			int code = response.status().code();
			if (code < 200) {
				// 1xx before the answer: nothing for the client (Expect is not passed
				// on).
				this.informational = true;
				return;
			}
			answered(response);
		}
		if (!(message instanceof HttpContent content)) {
			return;
		}
		if (content.decoderResult().isFailure() && !this.done) {
			// Not HTTP any more (a broken chunk): what came is not the whole answer.
			content.release();
			failed(new InstanceClosedException());
			return;
		}
		if (this.informational || this.done) {
			this.informational &= !(message instanceof LastHttpContent);
			content.release();
			return;
		}
		if (this.streamed != null) {
			this.streamed.next(content.content());
		}
		else {
			keep(content.content());
		}
		if (message instanceof LastHttpContent) {
			ended();
		}
	}

	/**
	 * A read of the connection ended: a streamed answer reads on while the client wants
	 * more.
	 */
	void readComplete() {
		if (this.streamed != null && !this.done && this.streamed.wantsMore()) {
			this.connection.channel.read();
		}
	}

	private void answered(HttpResponse response) {
		this.status = response.status().code();
		this.answerHeaders = response.headers();
		// Reusable only when the answer's end is known without a close.
		this.keepAlive = HttpUtil.isKeepAlive(response)
				&& (HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response));
		this.length = HttpUtil.getContentLength(response, -1L);
		if (this.length < 0 || this.length > WHOLE_ANSWER) {
			this.streamed = new Streamed();
			this.connection.channel.config().setAutoRead(false);
			this.answer.success(new InstanceAnswer(this.status, this.answerHeaders, null, this.streamed.flux(), this));
		}
	}

	private void keep(ByteBuf part) {
		if (!part.isReadable()) {
			part.release();
			return;
		}
		if (this.whole == null) {
			this.whole = part;
			return;
		}
		if (!this.joined) {
			// The answer came in parts: one buffer of its declared length holds them all.
			ByteBuf joined = this.connection.channel.alloc()
				.buffer((int) Math.max(this.length, this.whole.readableBytes() + part.readableBytes()));
			joined.writeBytes(this.whole);
			this.whole.release();
			this.whole = joined;
			this.joined = true;
		}
		this.whole.writeBytes(part);
		part.release();
	}

	/** The whole answer has arrived: the connection goes back, the answer on. */
	private void ended() {
		this.done = true;
		stopTimer();
		InstanceConnection finished = detach();
		if (this.streamed != null) {
			finished.channel.config().setAutoRead(true);
		}
		if (this.keepAlive && finished.channel.isActive()) {
			finished.local.release(finished);
		}
		else {
			finished.channel.close();
		}
		if (this.streamed != null) {
			this.streamed.complete();
			return;
		}
		ByteBuf received = (this.whole != null) ? this.whole : Unpooled.EMPTY_BUFFER;
		this.whole = null;
		this.answer.success(new InstanceAnswer(this.status, this.answerHeaders, received, null, this));
	}

	/**
	 * The deployment's timeout: silent for that long, the instance has failed the call.
	 */
	@Override
	public void run() {
		if (this.done || this.connection == null) {
			return;
		}
		if (this.streamed != null && !this.streamed.wantsMore()) {
			// The client is not taking the answer: silence the instance is not asked to
			// break.
			this.lastRead = System.nanoTime();
		}
		long silent = System.nanoTime() - this.lastRead;
		if (silent < this.timeoutNanos) {
			this.timer = this.loop.schedule(this, this.timeoutNanos - silent, TimeUnit.NANOSECONDS);
			return;
		}
		failed(ReadTimeoutException.INSTANCE);
	}

	/** The call failed: no connection, a broken one, or a silent instance. */
	void failed(Throwable cause) {
		if (this.done) {
			return;
		}
		abandon();
		if (this.streamed != null) {
			this.streamed.fail(cause);
		}
		else {
			this.answer.error(cause);
		}
	}

	/**
	 * Nobody wants the answer any more: the client left, or the answer was not passed on
	 * (a retry). A connection in the middle of an answer is closed.
	 */
	void cancel() {
		if (!this.loop.inEventLoop()) {
			this.loop.execute(this::cancel);
			return;
		}
		if (this.done) {
			if (this.streamed != null) {
				this.streamed.discard();
			}
			return;
		}
		abandon();
		if (this.streamed != null) {
			this.streamed.discard();
		}
	}

	/**
	 * Ends the exchange before its answer has all arrived: out of the queue for a
	 * connection, or off its connection, which is closed, since one that carried part of
	 * an exchange cannot carry another.
	 */
	private void abandon() {
		this.done = true;
		stopTimer();
		if (this.waitingIn != null) {
			this.waitingIn.stopWaiting(this);
			this.waitingIn = null;
		}
		InstanceConnection abandoned = detach();
		if (abandoned != null) {
			abandoned.channel.close();
		}
		if (this.whole != null) {
			this.whole.release();
			this.whole = null;
		}
	}

	private Channel channel() {
		return (this.connection != null) ? this.connection.channel : null;
	}

	private InstanceConnection detach() {
		InstanceConnection current = this.connection;
		if (current != null) {
			current.current = null;
			this.connection = null;
		}
		return current;
	}

	private void stopTimer() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

	/**
	 * A streamed answer's body: parts that arrive before the client's side subscribes
	 * wait here (no more than one read of the connection, which reads only on demand).
	 */
	private final class Streamed {

		private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();

		private FluxSink<ByteBuf> sink;

		private boolean complete;

		private Throwable failure;

		private boolean discarded;

		Flux<ByteBuf> flux() {
			return Flux.create(this::subscribed, FluxSink.OverflowStrategy.BUFFER)
				.doOnDiscard(ByteBuf.class, ReferenceCountUtil::release);
		}

		private void subscribed(FluxSink<ByteBuf> sink) {
			if (!InstanceExchange.this.loop.inEventLoop()) {
				InstanceExchange.this.loop.execute(() -> subscribed(sink));
				return;
			}
			if (this.discarded || this.sink != null) {
				sink.error(new IllegalStateException("the answer's body was taken already"));
				return;
			}
			this.sink = sink;
			ByteBuf part;
			while ((part = this.early.poll()) != null) {
				sink.next(part);
			}
			if (this.failure != null) {
				sink.error(this.failure);
				return;
			}
			if (this.complete) {
				sink.complete();
				return;
			}
			sink.onRequest((count) -> more());
			sink.onCancel(InstanceExchange.this::cancel);
		}

		private void more() {
			if (!InstanceExchange.this.loop.inEventLoop()) {
				InstanceExchange.this.loop.execute(this::more);
				return;
			}
			InstanceConnection current = InstanceExchange.this.connection;
			if (current != null && !InstanceExchange.this.done) {
				// Silence while the client is not taking the answer is not the
				// instance's.
				InstanceExchange.this.lastRead = System.nanoTime();
				current.channel.read();
			}
		}

		boolean wantsMore() {
			return this.sink != null && this.sink.requestedFromDownstream() > 0;
		}

		void next(ByteBuf part) {
			if (this.discarded || !part.isReadable()) {
				part.release();
				return;
			}
			if (this.sink != null) {
				this.sink.next(part);
			}
			else {
				this.early.add(part);
			}
		}

		void complete() {
			this.complete = true;
			if (this.sink != null) {
				this.sink.complete();
			}
		}

		void fail(Throwable cause) {
			this.failure = cause;
			if (this.sink != null) {
				this.sink.error(cause);
			}
			else if (!this.discarded) {
				release();
			}
		}

		void discard() {
			this.discarded = true;
			release();
		}

		private void release() {
			ByteBuf part;
			while ((part = this.early.poll()) != null) {
				part.release();
			}
		}

	}

}
