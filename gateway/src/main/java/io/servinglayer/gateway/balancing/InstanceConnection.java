package io.servinglayer.gateway.balancing;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * One kept-alive connection to an instance, carrying one exchange at a time: the last
 * handler of its pipeline, after the HTTP codec, handing what the instance sends to the
 * exchange under way.
 */
final class InstanceConnection extends ChannelInboundHandlerAdapter {

	final Channel channel;

	final InstanceConnections.LoopConnections local;

	/** When it last went idle, for {@code maxIdleTime}. */
	long idleSince;

	/** The exchange under way; {@code null} while idle. */
	InstanceExchange current;

	InstanceConnection(Channel channel, InstanceConnections.LoopConnections local) {
		this.channel = channel;
		this.local = local;
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		InstanceExchange exchange = this.current;
		if (exchange != null) {
			exchange.read(message);
			return;
		}
		// Nothing was asked: an instance that speaks out of turn cannot be trusted with
		// the next call.
		ReferenceCountUtil.release(message);
		context.close();
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext context) {
		InstanceExchange exchange = this.current;
		if (exchange != null) {
			exchange.readComplete();
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) {
		this.local.closed(this);
		InstanceExchange exchange = this.current;
		if (exchange != null) {
			exchange.failed(new InstanceClosedException());
		}
		context.fireChannelInactive();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		InstanceExchange exchange = this.current;
		if (exchange != null) {
			exchange.failed(cause);
		}
		context.close();
	}

}
