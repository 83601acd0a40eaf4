package io.servinglayer.gateway.requests;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what a client may send.
 *
 * @param maxBodySize the largest request body; larger ones are refused with 413 before
 * anything is forwarded (the gateway holds a body in memory to retry or shadow it)
 * @param maxBufferedBodies the most bytes of bodies held in memory at once, over all
 * requests; a body that would exceed it is refused with 503 and {@code Retry-After}
 * @param readTimeout the longest a client connection may stay silent while a request is
 * read (a slow upload cannot hold a buffer for longer); also the idle timeout of
 * kept-alive connections
 * @param maxHeaderSize the most bytes of header fields (names, values and their
 * separators, as on an HTTP/1.1 wire) a request may carry; more are refused with 431. It
 * must be below {@code server.max-http-request-header-size}, the server's own hard limit
 */
@ConfigurationProperties("servinglayer.gateway.requests")
public record RequestSettings(@DefaultValue("16MB") DataSize maxBodySize,
		@DefaultValue("256MB") DataSize maxBufferedBodies, @DefaultValue("30s") Duration readTimeout,
		@DefaultValue("16KB") DataSize maxHeaderSize) {

	public RequestSettings {
		if (maxBodySize.toBytes() < 1 || maxBufferedBodies.toBytes() < maxBodySize.toBytes()
				|| readTimeout.toMillis() <= 0) {
			throw new IllegalArgumentException("servinglayer.gateway.requests: max-body-size must be positive,"
					+ " max-buffered-bodies at least max-body-size, read-timeout positive");
		}
		if (maxHeaderSize.toBytes() < 1) {
			throw new IllegalArgumentException(
					"servinglayer.gateway.requests.max-header-size must be positive, got " + maxHeaderSize);
		}
	}

}
