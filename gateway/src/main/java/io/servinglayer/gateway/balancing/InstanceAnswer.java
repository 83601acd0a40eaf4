package io.servinglayer.gateway.balancing;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An instance's answer to a model call: its status and headers, and its body, either
 * whole (a known length up to {@link InstanceExchange#WHOLE_ANSWER}, all arrived) or
 * streamed as it arrives. The body is taken once; what is not taken is released by
 * {@link #discard()}.
 */
public final class InstanceAnswer {

	private final int status;

	private final HttpHeaders headers;

	private ByteBuf whole;

	private final Flux<ByteBuf> streamed;

	private final InstanceExchange exchange;

	private boolean taken;

	InstanceAnswer(int status, HttpHeaders headers, ByteBuf whole, Flux<ByteBuf> streamed, InstanceExchange exchange) {
		this.status = status;
		this.headers = headers;
		this.whole = whole;
		this.streamed = streamed;
		this.exchange = exchange;
	}

	public int status() {
		return this.status;
	}

	/** The instance's headers, hop-by-hop ones included. */
	public HttpHeaders headers() {
		return this.headers;
	}

	/**
	 * Whether the body has all arrived, so it can go out with the headers in one write.
	 */
	public boolean whole() {
		return this.streamed == null;
	}

	/**
	 * The body: one buffer when {@link #whole()}, taken when the publisher is subscribed
	 * to, else its parts as they arrive.
	 */
	public Publisher<ByteBuf> body() {
		if (this.streamed != null) {
			this.taken = true;
			return this.streamed;
		}
		// Taken on subscription, not here: a publisher the server never subscribes to
		// (the
		// client gone) leaves the buffer to discard().
		return Mono.fromSupplier(this::takeWhole);
	}

	private ByteBuf takeWhole() {
		ByteBuf body = this.whole;
		this.whole = null;
		return body;
	}

	/** Releases what of the body was not taken. */
	void discard() {
		if (this.whole != null) {
			this.whole.release();
			this.whole = null;
		}
		else if (this.streamed != null && !this.taken) {
			this.taken = true;
			this.exchange.cancel();
		}
	}

}
