package io.servinglayer.controlplane.webhook;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.controlplane.leader.LeaderLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the deliveries that are due, on the leader. Each is signed: the
 * {@code Servinglayer-Signature} header is {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>" under the webhook's secret>}, so a receiver can check the sender and
 * refuse replays; {@code Servinglayer-Delivery} names the delivery for deduplication. A
 * 2xx answer ends it; anything else is tried again after a doubling wait, up to
 * {@code max-attempts}, and then dropped and counted.
 */
@Component
class WebhookSender implements DisposableBean {

	static final String SIGNATURE = "Servinglayer-Signature";

	private static final Logger logger = LoggerFactory.getLogger(WebhookSender.class);

	private static final int BATCH = 20;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final LeaderLease lease;

	private final WebhookProperties properties;

	private final Map<String, WebhookProperties.Webhook> webhooks;

	private final Clock clock;

	private final ExecutorService sending = Executors.newFixedThreadPool(2, (runnable) -> {
		Thread thread = new Thread(runnable, "webhook-http");
		thread.setDaemon(true);
		return thread;
	});

	private final HttpClient http;

	private final MeterRegistry meters;

	WebhookSender(JdbcClient jdbc, TransactionTemplate transactions, LeaderLease lease, WebhookProperties properties,
			Clock clock, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.lease = lease;
		this.properties = properties;
		this.webhooks = properties.webhooks()
			.stream()
			.collect(Collectors.toMap(WebhookProperties.Webhook::name, Function.identity()));
		this.clock = clock;
		this.meters = meters;
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.executor(this.sending)
			.build();
	}

	@Scheduled(fixedDelayString = "${servinglayer.control-plane.webhooks.deliver-every:1s}")
	void deliverDue() {
		if (this.webhooks.isEmpty() || !this.lease.isLeader()) {
			return;
		}
		try {
			for (Delivery delivery : claimDue()) {
				deliver(delivery);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not send webhook deliveries on this pass: {}", ex.getMessage());
		}
	}

	/**
	 * Takes the due deliveries for a while (moving their next attempt past the time a
	 * send may take), so a second sender skips them; a sender that dies mid-way leaves
	 * them to be sent again then.
	 */
	private List<Delivery> claimDue() {
		Duration hold = this.properties.requestTimeout()
			.plus(this.properties.connectTimeout())
			.multipliedBy(BATCH)
			.plusSeconds(5);
		return this.transactions.execute((status) -> {
			if (!this.lease.holdsIn()) {
				return List.<Delivery>of();
			}
			List<Delivery> due = this.jdbc.sql("""
					SELECT id, webhook, event, payload::text AS payload, attempts FROM webhook_delivery
					WHERE next_attempt_at <= now() ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED""")
				.param(BATCH)
				.query((rs, row) -> new Delivery(rs.getLong("id"), rs.getString("webhook"), rs.getString("event"),
						rs.getString("payload"), rs.getInt("attempts")))
				.list();
			for (Delivery delivery : due) {
				this.jdbc
					.sql("UPDATE webhook_delivery SET next_attempt_at = now() + make_interval(secs => ?) "
							+ "WHERE id = ?")
					.params(hold.toSeconds(), delivery.id())
					.update();
			}
			return due;
		});
	}

	private void deliver(Delivery delivery) {
		WebhookProperties.Webhook webhook = this.webhooks.get(delivery.webhook());
		if (webhook == null) {
			// Its receiver was removed from the settings since.
			this.jdbc.sql("DELETE FROM webhook_delivery WHERE id = ?").param(delivery.id()).update();
			count(delivery, "receiver-removed");
			return;
		}
		String error;
		try {
			long timestamp = this.clock.instant().getEpochSecond();
			HttpRequest request = HttpRequest.newBuilder(webhook.url())
				.timeout(this.properties.requestTimeout())
				.header("Content-Type", "application/json")
				.header("User-Agent", "servinglayer-control-plane")
				.header("Servinglayer-Event", delivery.event())
				.header("Servinglayer-Delivery", Long.toString(delivery.id()))
				.header(SIGNATURE, "t=" + timestamp + ",v1=" + sign(webhook.secret(), timestamp, delivery.payload()))
				.POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
				.build();
			HttpResponse<Void> answer = this.http.send(request, HttpResponse.BodyHandlers.discarding());
			if (answer.statusCode() / 100 == 2) {
				this.jdbc.sql("DELETE FROM webhook_delivery WHERE id = ?").param(delivery.id()).update();
				count(delivery, "delivered");
				return;
			}
			error = "HTTP " + answer.statusCode();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		catch (Exception ex) {
			error = ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
		}
		failed(delivery, webhook, error);
	}

	private void failed(Delivery delivery, WebhookProperties.Webhook webhook, String error) {
		int attempts = delivery.attempts() + 1;
		if (attempts >= this.properties.maxAttempts()) {
			this.jdbc.sql("DELETE FROM webhook_delivery WHERE id = ?").param(delivery.id()).update();
			count(delivery, "dropped");
			logger.warn("Gave up on {} delivery {} to webhook '{}' after {} attempts: {}", delivery.event(),
					delivery.id(), webhook.name(), attempts, error);
			return;
		}
		Duration wait = this.properties.firstRetry().multipliedBy(1L << Math.min(attempts - 1, 20));
		if (wait.compareTo(this.properties.maxRetry()) > 0) {
			wait = this.properties.maxRetry();
		}
		this.jdbc.sql("UPDATE webhook_delivery SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?")
			.params(attempts, error, OffsetDateTime.ofInstant(this.clock.instant().plus(wait), ZoneOffset.UTC),
					delivery.id())
			.update();
		count(delivery, "failed");
	}

	private void count(Delivery delivery, String outcome) {
		Counter.builder("controlplane.webhooks.deliveries")
			.description("Webhook delivery attempts by webhook and outcome")
			.tag("webhook", delivery.webhook())
			.tag("outcome", outcome)
			.register(this.meters)
			.increment();
	}

	/** The hex HMAC-SHA256 of {@code "<timestamp>.<body>"} under {@code secret}. */
	static String sign(String secret, long timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

	@Override
	public void destroy() {
		this.sending.shutdownNow();
	}

	private record Delivery(long id, String webhook, String event, String payload, int attempts) {
	}

}
