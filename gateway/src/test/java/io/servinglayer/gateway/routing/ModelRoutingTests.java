package io.servinglayer.gateway.routing;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRoutingTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final Routing routing = new Routing();

	@Test
	void aCanaryNoInstanceHasWarmGoesToStableAndIsCounted() {
		this.routing.replace(table(new Deployment("fraud", "default", 1, 2, 10_000, null, 0, "client", "s", 2000)));
		ModelRouting filter = new ModelRouting(this.routing, (deployment, version) -> version != 2, this.meters,
				new SplittableRandom(1));

		assertThat(route(filter, "caller").version()).isEqualTo(1);
		assertThat(this.meters.get("gateway.canary.fallbacks").tag("model", "fraud").counter().count()).isEqualTo(1);

		ModelRouting warm = new ModelRouting(this.routing, (deployment, version) -> true, this.meters,
				new SplittableRandom(1));
		assertThat(route(warm, "caller").version()).isEqualTo(2);
	}

	@Test
	void aNewStableVersionNoInstanceHasWarmYetLeavesTrafficOnTheStableVersionBeforeIt() {
		this.routing.replace(table(new Deployment("fraud", "default", 1, null, 0, null, 0, "client", "s", 2000)));
		this.routing.replace(table(new Deployment("fraud", "default", 2, null, 0, null, 0, "client", "s", 2000)));
		boolean[] twoIsWarm = { false };
		ModelRouting filter = new ModelRouting(this.routing, (deployment, version) -> version == 1 || twoIsWarm[0],
				this.meters, new SplittableRandom(1));

		assertThat(route(filter, "caller").version()).isEqualTo(1);
		assertThat(this.meters.get("gateway.stable.fallbacks").tag("model", "fraud").counter().count()).isEqualTo(1);

		twoIsWarm[0] = true;
		assertThat(route(filter, "caller").version()).isEqualTo(2);
	}

	@Test
	void aSecondStableChangeBeforeTheFirstIsWarmStillFallsBackToTheVersionThatWasWarm() {
		this.routing.replace(table(new Deployment("fraud", "default", 1, null, 0, null, 0, "client", "s", 2000)));
		this.routing.replace(table(new Deployment("fraud", "default", 2, null, 0, null, 0, "client", "s", 2000)));
		this.routing.replace(table(new Deployment("fraud", "default", 2, 3, 5000, null, 0, "client", "s", 2000)));
		ModelRouting filter = new ModelRouting(this.routing, (deployment, version) -> version == 1, this.meters,
				new SplittableRandom(1));

		for (String caller : new String[] { "a", "b", "c", "d", "e", "f" }) {
			assertThat(route(filter, caller).version()).isEqualTo(1);
		}
	}

	@Test
	void withNeitherStableVersionWarmTheNewStableIsChosenAndAnsweredAsNotReady() {
		this.routing.replace(table(new Deployment("fraud", "default", 1, null, 0, null, 0, "client", "s", 2000)));
		this.routing.replace(table(new Deployment("fraud", "default", 2, null, 0, null, 0, "client", "s", 2000)));
		ModelRouting filter = new ModelRouting(this.routing, (deployment, version) -> false, this.meters,
				new SplittableRandom(1));

		assertThat(route(filter, "caller").version()).isEqualTo(2);
	}

	@Test
	void aHeaderStickyKeyKeepsOneEntityOnOneVersionWhoeverCalls() {
		this.routing
			.replace(table(new Deployment("fraud", "default", 1, 2, 5000, null, 0, "header:X-Entity-Key", "s", 2000)));
		ModelRouting filter = new ModelRouting(this.routing, (deployment, version) -> true, this.meters,
				new SplittableRandom(1));
		int expected = VersionChoice.bucket("s", "entity-9") < 5000 ? 2 : 1;
		for (String caller : new String[] { "a", "b", "c", "d" }) {
			MockServerWebExchange exchange = exchange(caller,
					MockServerHttpRequest.post("/v2/models/fraud/infer").header("X-Entity-Key", "entity-9"));
			assertThat(route(filter, exchange).version()).isEqualTo(expected);
		}
	}

	@Test
	void anUnknownModelIsNotFound() {
		this.routing.replace(table(new Deployment("fraud", "default", 1, null, 0, null, 0, "client", "s", 2000)));
		ModelRouting filter = new ModelRouting(this.routing, (deployment, version) -> true, this.meters,
				new SplittableRandom(1));
		MockServerWebExchange exchange = exchange("caller", MockServerHttpRequest.post("/v2/models/nobody/infer"));
		ServerWebExchangeUtils.putUriTemplateVariables(exchange, Map.of("model", "nobody"));
		assertThatThrownBy(() -> filter.filter(exchange, (routed) -> Mono.empty()).block())
			.isInstanceOf(ModelNotFoundException.class);
	}

	private ModelRequest route(ModelRouting filter, String caller) {
		return route(filter, exchange(caller, MockServerHttpRequest.post("/v2/models/fraud/infer")));
	}

	private ModelRequest route(ModelRouting filter, MockServerWebExchange exchange) {
		ServerWebExchangeUtils.putUriTemplateVariables(exchange, Map.of("model", "fraud"));
		AtomicReference<ModelRequest> routed = new AtomicReference<>();
		GatewayFilterChain chain = (ServerWebExchange next) -> {
			routed.set(next.getAttribute(ModelRequest.ATTRIBUTE));
			return Mono.empty();
		};
		filter.filter(exchange, chain).block();
		return routed.get();
	}

	private static MockServerWebExchange exchange(String caller, MockServerHttpRequest.BaseBuilder<?> request) {
		MockServerWebExchange exchange = MockServerWebExchange.from(request);
		exchange.getAttributes()
			.put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR,
					Route.async()
						.id("infer")
						.uri("http://instance.unpicked.invalid")
						.predicate((any) -> true)
						.metadata(Endpoint.METADATA_KEY, Endpoint.INFER.name())
						.build());
		exchange.getAttributes().put(ModelRequest.CLIENT_ID_ATTRIBUTE, caller);
		return exchange;
	}

	private static RoutingTable table(Deployment deployment) {
		return new RoutingTable(1, Map.of(deployment.name(), deployment), Map.of());
	}

}
