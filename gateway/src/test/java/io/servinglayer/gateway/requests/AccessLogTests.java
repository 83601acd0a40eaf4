package io.servinglayer.gateway.requests;

import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogTests {

	@Test
	void replacingOrStoppingTheBackgroundWriterLeavesTheRootLoggersAppendersRunning() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		List<Appender<ILoggingEvent>> rootAppenders = new ArrayList<>();
		root.iteratorForAppenders().forEachRemaining(rootAppenders::add);
		assertThat(rootAppenders).isNotEmpty().allMatch(Appender::isStarted);

		// A second application context in the same JVM replaces the first one's writer.
		AccessLog first = new AccessLog();
		AccessLog second = new AccessLog();
		first.destroy();
		Logger access = context.getLogger("servinglayer.access");
		assertThat(access.isAdditive()).isFalse();
		second.destroy();

		assertThat(rootAppenders).allMatch(Appender::isStarted);
		assertThat(access.isAdditive()).isTrue();
		assertThat(access.getAppender("access-log-writer")).isNull();
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

}
