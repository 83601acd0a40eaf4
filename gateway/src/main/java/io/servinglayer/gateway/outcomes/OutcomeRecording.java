package io.servinglayer.gateway.outcomes;

import java.time.Duration;

import io.servinglayer.gateway.system.FilterOrder;
import io.servinglayer.gateway.balancing.UpstreamTimeoutException;
import io.servinglayer.gateway.system.ClientConnection;
import io.servinglayer.gateway.routing.ModelRequest;
import io.servinglayer.gateway.system.GatewayProblem;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

/**
 * Counts each routed model request once, whatever the retries, by the version routing
 * chose: the upstream's status, or the status of the problem the gateway answers with.
 * Requests refused before a version was chosen (auth, rate limit, unknown model) are not
 * the version's doing and are not counted; a 4xx is counted as the client's error, and a
 * request whose client went away as {@code client_closed}, neither against the version.
 */
class OutcomeRecording implements GlobalFilter, Ordered {

	private final OutcomeRecorder recorder;

	OutcomeRecording(OutcomeRecorder recorder) {
		this.recorder = recorder;
	}

	@Override
	public int getOrder() {
		return FilterOrder.OUTCOME_RECORDING;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		long started = System.nanoTime();
		return chain.filter(exchange).doOnSuccess((done) -> {
			HttpStatusCode status = exchange.getResponse().getStatusCode();
			record(exchange, Outcome.of((status != null) ? status.value() : 200, false), started);
		}).doOnError((failure) -> {
			if (ClientConnection.closed(exchange)) {
				record(exchange, Outcome.CLIENT_CLOSED, started);
				return;
			}
			int status = (failure instanceof GatewayProblem problem) ? problem.status().value() : 500;
			record(exchange, Outcome.of(status, failure instanceof UpstreamTimeoutException), started);
		}).doOnCancel(() -> record(exchange, Outcome.CLIENT_CLOSED, started));
	}

	private void record(ServerWebExchange exchange, Outcome outcome, long started) {
		ModelRequest request = exchange.getAttribute(ModelRequest.ATTRIBUTE);
		if (request != null) {
			this.recorder.record(request.deployment().name(), request.version(), outcome,
					Duration.ofNanos(System.nanoTime() - started));
		}
	}

}
