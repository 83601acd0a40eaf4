package io.servinglayer.controlplane.webhook;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rollout state changes reach a real HTTP receiver, signed, and a delivery the receiver
 * refuses is sent again.
 */
@ControlPlaneIntegrationTest
class WebhooksIntegrationTests {

	private static final String SECRET = "webhook-secret-0123456789";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Queue<Received> received = new ConcurrentLinkedQueue<>();

	/** Answers 500 to the first request, 200 to the rest. */
	private static final AtomicInteger requests = new AtomicInteger();

	private static HttpServer receiver;

	@Autowired
	AdminApi api;

	@DynamicPropertySource
	static void webhookReceiver(DynamicPropertyRegistry registry) throws IOException {
		receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		receiver.createContext("/hooks", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			received.add(new Received(exchange.getRequestHeaders().getFirst("Servinglayer-Delivery"),
					exchange.getRequestHeaders().getFirst("Servinglayer-Event"),
					exchange.getRequestHeaders().getFirst("Servinglayer-Signature"), body));
			exchange.sendResponseHeaders((requests.incrementAndGet() == 1) ? 500 : 200, -1);
			exchange.close();
		});
		receiver.start();
		String webhook = "servinglayer.control-plane.webhooks.webhooks[0].";
		registry.add(webhook + "name", () -> "chat");
		registry.add(webhook + "url", () -> "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks");
		registry.add(webhook + "secret", () -> SECRET);
		registry.add(webhook + "events", () -> "rollout.pending,rollout.aborted");
		registry.add("servinglayer.control-plane.webhooks.first-retry", () -> "200ms");
		registry.add("servinglayer.control-plane.webhooks.deliver-every", () -> "100ms");
		registry.add("servinglayer.control-plane.leader.lease-time", () -> "2s");
		registry.add("servinglayer.control-plane.leader.renew-every", () -> "200ms");
	}

	@AfterAll
	static void stopReceiver() {
		receiver.stop(0);
	}

	@Test
	void rolloutStateChangesReachTheReceiverSignedAndARefusedDeliveryIsSentAgain() throws Exception {
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"hooked\"}").status()).isEqualTo(201);
		byte[] model = Files.readAllBytes(TestModels.fraudClassifier());
		assertThat(this.api.upload("hooked", model, null).status()).isEqualTo(201);
		assertThat(this.api.upload("hooked", model, null).status()).isEqualTo(201);
		assertThat(this.api
			.send(this.api.request("/api/v1/deployments/hooked")
				.header("Content-Type", "application/json")
				.PUT(java.net.http.HttpRequest.BodyPublishers
					.ofString("{\"model\": \"hooked\", \"stableVersion\": 1}")))
			.status()).isEqualTo(201);
		AdminApi.Response started = this.api.postJson("/api/v1/deployments/hooked/rollouts",
				"{\"version\": 2, \"steps\": [100]}");
		assertThat(started.status()).as(started.toString()).isEqualTo(201);
		long id = started.json().path("id").asLong();
		assertThat(this.api.post("/api/v1/deployments/hooked/rollouts/" + id + ":pause").status()).isEqualTo(200);
		assertThat(this.api.post("/api/v1/deployments/hooked/rollouts/" + id + ":abort").status()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(30))
			.until(() -> received.stream().filter((r) -> "rollout.aborted".equals(r.event())).count() == 1
					&& received.stream().filter((r) -> "rollout.pending".equals(r.event())).count() == 2);

		List<Received> all = List.copyOf(received);
		// The first delivery was refused (500) and sent again under the same delivery id.
		assertThat(all.get(0).event()).isEqualTo("rollout.pending");
		assertThat(all.stream().filter((r) -> r.delivery().equals(all.get(0).delivery())).count()).isEqualTo(2);
		// rollout.paused is not among this webhook's events.
		assertThat(all).extracting(Received::event).doesNotContain("rollout.paused");
		for (Received delivery : all) {
			String[] parts = delivery.signature().split(",");
			long timestamp = Long.parseLong(parts[0].substring("t=".length()));
			assertThat(parts[1]).isEqualTo("v1=" + WebhookSender.sign(SECRET, timestamp, delivery.body()));
			assertThat(parts[1])
				.isNotEqualTo("v1=" + WebhookSender.sign("another-secret-0123456", timestamp, delivery.body()));
		}
		// A delivery sent again may arrive after a later one: receivers order by
		// occurredAt.
		JsonNode aborted = json
			.readTree(all.stream().filter((r) -> "rollout.aborted".equals(r.event())).findFirst().orElseThrow().body());
		assertThat(aborted.path("event").asString()).isEqualTo("rollout.aborted");
		assertThat(aborted.path("rollout").path("id").asLong()).isEqualTo(id);
		assertThat(aborted.path("rollout").path("deployment").asString()).isEqualTo("hooked");
		assertThat(aborted.path("rollout").path("previousState").asString()).isEqualTo("Paused");
		assertThat(aborted.path("rollout").path("currentWeight").asInt()).isZero();
		assertThat(aborted.path("rollout").path("actor").asString())
			.isEqualTo(ControlPlaneIntegrationTest.ADMIN_CLIENT);
	}

	private record Received(String delivery, String event, String signature, String body) {
	}

}
