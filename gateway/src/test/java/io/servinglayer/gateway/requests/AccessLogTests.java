package io.servinglayer.gateway.requests;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogTests {

	@Test
	void writesWaitingLinesToEachConsoleInOneWriteAndToOtherAppendersOneByOne() {
		LoggerContext context = new LoggerContext();
		Writes console = new Writes();
		ListAppender<ILoggingEvent> list = listAppender(context);
		Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
		root.addAppender(console(context, console, Level.INFO));
		root.addAppender(list);
		// Never wakes by itself within the test: closing writes what waits.
		AccessLineWriter writer = new AccessLineWriter(context, "servinglayer.access",
				new AccessLogSettings(16, Duration.ofHours(1)));

		for (int i = 0; i < 5; i++) {
			writer.write("{\"line\":" + i + "}");
		}
		writer.close();

		assertThat(console.calls).isEqualTo(1);
		assertThat(console.text()).isEqualTo(lines(0, 5));
		assertThat(list.list).extracting(ILoggingEvent::getFormattedMessage)
			.containsExactly("{\"line\":0}", "{\"line\":1}", "{\"line\":2}", "{\"line\":3}", "{\"line\":4}");
		assertThat(list.list).extracting(ILoggingEvent::getThreadName).containsOnly(Thread.currentThread().getName());
	}

	@Test
	void dropsLinesWhenTheBacklogIsFullInsteadOfWaiting() {
		LoggerContext context = new LoggerContext();
		ListAppender<ILoggingEvent> list = listAppender(context);
		context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(list);
		AccessLineWriter writer = new AccessLineWriter(context, "servinglayer.access",
				new AccessLogSettings(2, Duration.ofHours(1)));

		for (int i = 0; i < 5; i++) {
			writer.write("{\"line\":" + i + "}");
		}
		assertThat(writer.dropped()).isEqualTo(3);
		writer.close();

		assertThat(list.list).extracting(ILoggingEvent::getFormattedMessage)
			.containsExactly("{\"line\":0}", "{\"line\":1}");
		assertThat(writer.dropped()).isZero();
	}

	@Test
	void honoursTheConsolesFiltersAndTheAccessLoggersAdditivity() {
		LoggerContext context = new LoggerContext();
		Writes rootConsole = new Writes();
		Writes quiet = new Writes();
		ListAppender<ILoggingEvent> own = listAppender(context);
		context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(console(context, rootConsole, Level.INFO));
		Logger access = context.getLogger("servinglayer.access");
		access.addAppender(own);
		access.addAppender(console(context, quiet, Level.WARN));
		access.setAdditive(false);
		AccessLineWriter writer = new AccessLineWriter(context, "servinglayer.access",
				new AccessLogSettings(16, Duration.ofHours(1)));

		writer.write("{\"line\":0}");
		writer.close();

		assertThat(own.list).hasSize(1);
		assertThat(quiet.calls).isZero();
		assertThat(rootConsole.calls).isZero();
	}

	@Test
	void writesInPlaceOnceClosedAndLeavesTheAppendersRunning() {
		LoggerContext context = new LoggerContext();
		ListAppender<ILoggingEvent> list = listAppender(context);
		context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(list);
		AccessLineWriter writer = new AccessLineWriter(context, "servinglayer.access",
				new AccessLogSettings(16, Duration.ofMillis(5)));
		writer.close();

		writer.write("{\"late\":true}");

		assertThat(list.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("{\"late\":true}");
		assertThat(list.isStarted()).isTrue();
	}

	@Test
	void aValueIsWrittenAsAJsonStringThatReadsBackUnchangedWhateverItHolds() {
		tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
		for (String value : new String[] { "plain", "a \"quoted\" \\ path", "line\nbreak\ttab\u0001", "ünïcödé €" }) {
			StringBuilder line = new StringBuilder("{\"v\":");
			AccessLog.string(line, value);
			assertThat(json.readTree(line.append('}').toString()).path("v").asString()).isEqualTo(value);
		}
		StringBuilder absent = new StringBuilder("{\"v\":");
		AccessLog.string(absent, null);
		assertThat(json.readTree(absent.append('}').toString()).path("v").isNull()).isTrue();
	}

	private static String lines(int from, int to) {
		StringBuilder lines = new StringBuilder();
		for (int i = from; i < to; i++) {
			lines.append("INFO servinglayer.access ")
				.append(Thread.currentThread().getName())
				.append(" {\"line\":")
				.append(i)
				.append("}\n");
		}
		return lines.toString();
	}

	private static ListAppender<ILoggingEvent> listAppender(LoggerContext context) {
		ListAppender<ILoggingEvent> list = new ListAppender<>();
		list.setContext(context);
		list.start();
		return list;
	}

	/**
	 * A console appender whose stream is {@code writes}, letting through {@code level}
	 * and above.
	 */
	private static ConsoleAppender<ILoggingEvent> console(LoggerContext context, Writes writes, Level level) {
		PatternLayoutEncoder encoder = new PatternLayoutEncoder();
		encoder.setContext(context);
		encoder.setPattern("%level %logger %thread %msg%n");
		encoder.start();
		ThresholdFilter threshold = new ThresholdFilter();
		threshold.setLevel(level.levelStr);
		threshold.start();
		ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
		console.setContext(context);
		console.setEncoder(encoder);
		console.addFilter(threshold);
		console.start();
		console.setOutputStream(writes);
		return console;
	}

	/** Counts the write calls it gets. */
	private static final class Writes extends OutputStream {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private int calls;

		@Override
		public synchronized void write(int b) {
			this.calls++;
			this.bytes.write(b);
		}

		@Override
		public synchronized void write(byte[] b, int off, int len) {
			this.calls++;
			this.bytes.write(b, off, len);
		}

		synchronized String text() {
			return this.bytes.toString(StandardCharsets.UTF_8);
		}

	}

}
