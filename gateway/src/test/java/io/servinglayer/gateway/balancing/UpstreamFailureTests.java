package io.servinglayer.gateway.balancing;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.stream.Stream;

import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.channel.AbortedException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One reading of a failed call for the breaker and the answer: what counts against the
 * instance is what the client is told the instance did.
 */
class UpstreamFailureTests {

	static Stream<Arguments> failures() {
		return Stream.of(Arguments.of("refused", new ConnectException("Connection refused"), 502),
				Arguments.of("unresolvable", new UnknownHostException("instance-7"), 502),
				Arguments.of("reset or closed early", new IOException("Connection reset by peer"), 502),
				Arguments.of("wrapped", new IllegalStateException("wrapped", new ConnectException("no")), 502),
				Arguments.of("silent for the deployment's timeout", ReadTimeoutException.INSTANCE, 504),
				Arguments.of("per-attempt timeout", new UpstreamTimeoutException("fraud", 1, 300), 504),
				Arguments.of("response-timeout backstop", new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT), 504),
				Arguments.of("closed by the client", new AbortedException("closed"), 0),
				Arguments.of("gateway's own pool exhausted", new PoolAcquireTimeoutException(Duration.ofSeconds(2)),
						503),
				Arguments.of("gateway's own queue for the pool full", new PoolAcquirePendingLimitException(1000), 503),
				Arguments.of("lean path: closed before the whole answer", new InstanceClosedException(), 502),
				Arguments.of("lean path: no connection free in time",
						NoConnectionFreeException.waited(new InstanceConnections.Origin(false, "10.0.0.7", 8082), 2000),
						503),
				Arguments.of("lean path: too many calls waiting for a connection",
						NoConnectionFreeException.queueFull(new InstanceConnections.Origin(false, "10.0.0.7", 8082),
								500),
						503),
				Arguments.of("refused by the gateway", new ResponseStatusException(HttpStatus.BAD_REQUEST), 0),
				Arguments.of("a bug", new NullPointerException(), 0));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("failures")
	void countsAgainstTheInstanceExactlyWhatItAnswersAsTheInstancesFailure(String name, Throwable failure,
			int answered) {
		UpstreamFailure kind = UpstreamFailure.of(failure);
		var problem = kind.problem("fraud", 1, 300);
		assertThat((problem != null) ? problem.status().value() : 0).isEqualTo(answered);
		assertThat(kind.instancesDoing()).isEqualTo(answered == 502 || answered == 504);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(ints = { 502, 503, 504 })
	void anAnswerSayingTheInstanceCannotServeCountsAsAFailure(int status) {
		assertThat(UpstreamFailure.answerCountsAgainstInstance(status, null)).isTrue();
		assertThat(UpstreamFailure.answerCountsAgainstInstance(status, "text/html")).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(ints = { 503, 504 })
	void theInstancesOwnProblemDocumentRefusesOneCallAndShowsTheInstanceAlive(int status) {
		assertThat(UpstreamFailure.answerCountsAgainstInstance(status, "application/problem+json")).isFalse();
		assertThat(UpstreamFailure.answerCountsAgainstInstance(status, "application/problem+json;charset=UTF-8"))
			.isFalse();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(ints = { 200, 400, 404, 422, 429, 500 })
	void anyOtherAnswerShowsTheInstanceAlive(int status) {
		assertThat(UpstreamFailure.answerCountsAgainstInstance(status, null)).isFalse();
	}

}
