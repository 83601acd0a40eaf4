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
 */
@ConfigurationProperties("servinglayer.inference.http")
public record HttpSettings(@DefaultValue("10s") Duration bodyReadTimeout) {

	public HttpSettings {
		if (bodyReadTimeout.isNegative() || bodyReadTimeout.isZero()) {
			throw new IllegalArgumentException(
					"servinglayer.inference.http.body-read-timeout must be positive, got " + bodyReadTimeout);
		}
	}

}
