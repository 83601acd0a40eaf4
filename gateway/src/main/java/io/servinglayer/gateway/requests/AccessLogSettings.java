package io.servinglayer.gateway.requests;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the access lines reach the log.
 *
 * @param backlog the most lines waiting for the writer; when it is full, lines are
 * dropped (and counted in a warning), never waited for
 * @param flushInterval how often the writer wakes to write what is waiting, in one write
 * per console appender, as nginx's {@code access_log … buffer= flush=} does
 */
@ConfigurationProperties("servinglayer.gateway.access-log")
public record AccessLogSettings(@DefaultValue("8192") int backlog, @DefaultValue("100ms") Duration flushInterval) {

	public AccessLogSettings {
		if (backlog < 1 || flushInterval.toMillis() < 1) {
			throw new IllegalArgumentException("servinglayer.gateway.access-log: backlog must be positive and"
					+ " flush-interval at least 1ms, got " + backlog + " and " + flushInterval);
		}
	}

}
