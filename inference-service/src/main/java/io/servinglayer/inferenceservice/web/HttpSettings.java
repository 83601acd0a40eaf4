package io.servinglayer.inferenceservice.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the instance waits for a caller. The connection bounds themselves are Spring
 * Boot's own settings ({@code server.tomcat.max-connections}, {@code accept-count},
 * {@code threads.max}, {@code server.max-http-request-header-size}), with this service's
 * defaults in its {@code application.yaml}.
 *
 * @param bodyReadTimeout the longest a request body may take to arrive, from the first
 * byte of the request to the last of the body; a body not complete by then is answered
 * 408 and its connection closed, so a caller that trickles a body holds a worker thread
 * this long at most
 * @param unreadBodyLinger after refusing a call whose body it did not read to the end,
 * how long the instance goes on reading and discarding it (2 MB at most) before closing
 * the connection, so the caller, still sending, gets to read the answer; {@code 0s}
 * closes at once
 */
@ConfigurationProperties("servinglayer.inference.http")
public record HttpSettings(@DefaultValue("10s") Duration bodyReadTimeout,
		@DefaultValue("1s") Duration unreadBodyLinger) {

	public HttpSettings {
		if (bodyReadTimeout.isNegative() || bodyReadTimeout.isZero()) {
			throw new IllegalArgumentException(
					"servinglayer.inference.http.body-read-timeout must be positive, got " + bodyReadTimeout);
		}
		if (unreadBodyLinger.isNegative()) {
			throw new IllegalArgumentException(
					"servinglayer.inference.http.unread-body-linger must not be negative, got " + unreadBodyLinger);
		}
	}

}
