package io.servinglayer.gateway.requests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;

/**
 * Writes access lines from one background thread, in batches, into the appenders a line
 * of the access logger reaches (so Boot's console, file and structured settings apply).
 * An event loop only queues the line's text: no logging event is built there and no
 * thread is woken per line. The writer wakes every flush interval and writes what waits
 * with one write per console appender, as nginx's {@code access_log … buffer=} does;
 * other appenders get the lines one by one. Written per line, the access log was 9.8 % of
 * a model call's CPU, 2.2 % in batches (BENCHMARKS.md, "Gateway fast path"). The backlog
 * is bounded: full means dropped and counted, never waited for.
 */
final class AccessLineWriter implements AutoCloseable {

	private static final org.slf4j.Logger logger = LoggerFactory.getLogger(AccessLineWriter.class);

	/** Lines taken from the backlog per write. */
	private static final int BATCH = 1024;

	private final Logger access;

	private final ArrayBlockingQueue<Line> waiting;

	private final int backlog;

	private final long intervalNanos;

	private final AtomicLong dropped = new AtomicLong();

	private final Thread thread;

	private volatile boolean open = true;

	AccessLineWriter(LoggerContext context, String loggerName, AccessLogSettings settings) {
		this.access = context.getLogger(loggerName);
		this.backlog = settings.backlog();
		this.waiting = new ArrayBlockingQueue<>(settings.backlog());
		this.intervalNanos = settings.flushInterval().toNanos();
		this.thread = new Thread(this::run, "access-log-writer");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	int backlog() {
		return this.backlog;
	}

	/**
	 * Queues a line, or drops it when the backlog is full; written in place once closed.
	 */
	void write(String text) {
		Line line = new Line(System.currentTimeMillis(), Thread.currentThread().getName(), text);
		if (!this.open) {
			write(List.of(line));
		}
		else if (!this.waiting.offer(line)) {
			this.dropped.incrementAndGet();
		}
	}

	/** Lines dropped since the writer last reported them. */
	long dropped() {
		return this.dropped.get();
	}

	/**
	 * Writes what is waiting, then stops the writer; later lines are written in place.
	 */
	@Override
	public void close() {
		this.open = false;
		LockSupport.unpark(this.thread);
		try {
			this.thread.join(Duration.ofSeconds(10).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void run() {
		while (this.open) {
			LockSupport.parkNanos(this, this.intervalNanos);
			writeWaiting();
		}
		writeWaiting();
	}

	private void writeWaiting() {
		List<Line> batch = new ArrayList<>();
		while (this.waiting.drainTo(batch, BATCH) > 0) {
			try {
				write(batch);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not write {} access lines", batch.size(), ex);
			}
			batch.clear();
		}
		long lost = this.dropped.getAndSet(0);
		if (lost > 0) {
			logger.warn("Dropped {} access lines: more than servinglayer.gateway.access-log.backlog ({}) waited for"
					+ " the writer", lost, this.backlog);
		}
	}

	private void write(List<Line> lines) {
		List<ILoggingEvent> events = new ArrayList<>(lines.size());
		for (Line line : lines) {
			LoggingEvent event = new LoggingEvent(AccessLineWriter.class.getName(), this.access, Level.INFO,
					line.text(), null, null);
			event.setThreadName(line.thread());
			event.setTimeStamp(line.epochMillis());
			events.add(event);
		}
		for (Appender<ILoggingEvent> appender : appenders()) {
			if (appender instanceof ConsoleAppender<ILoggingEvent> console && console.isStarted()
					&& console.getEncoder() != null) {
				writeWhole(console, events);
			}
			else {
				events.forEach(appender::doAppend);
			}
		}
	}

	/**
	 * The lines a console appender lets through, encoded by its own encoder and written
	 * with one call: the console's stream is a {@link java.io.PrintStream}, which writes
	 * each call whole, so the batch never interleaves with other threads' lines.
	 */
	private static void writeWhole(ConsoleAppender<ILoggingEvent> console, List<ILoggingEvent> events) {
		Encoder<ILoggingEvent> encoder = console.getEncoder();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(events.size() * 320);
		for (ILoggingEvent event : events) {
			if (console.getFilterChainDecision(event) != FilterReply.DENY) {
				bytes.writeBytes(encoder.encode(event));
			}
		}
		if (bytes.size() == 0) {
			return;
		}
		try {
			bytes.writeTo(console.getOutputStream());
			console.getOutputStream().flush();
		}
		catch (IOException ex) {
			logger.warn("Could not write {} access lines to {}", events.size(), console.getName(), ex);
		}
	}

	/**
	 * The appenders a line logged on the access logger reaches, as Logback would call
	 * them: its own, then its ancestors' while the loggers are additive.
	 */
	private List<Appender<ILoggingEvent>> appenders() {
		List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
		LoggerContext context = this.access.getLoggerContext();
		String name = this.access.getName();
		while (true) {
			Logger logger = context.exists(name);
			if (logger != null) {
				logger.iteratorForAppenders().forEachRemaining(appenders::add);
				if (!logger.isAdditive()) {
					return appenders;
				}
			}
			if (Logger.ROOT_LOGGER_NAME.equals(name)) {
				return appenders;
			}
			int dot = name.lastIndexOf('.');
			name = (dot > 0) ? name.substring(0, dot) : Logger.ROOT_LOGGER_NAME;
		}
	}

	private record Line(long epochMillis, String thread, String text) {
	}

}
