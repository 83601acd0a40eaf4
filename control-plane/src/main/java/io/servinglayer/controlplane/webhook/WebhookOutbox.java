package io.servinglayer.controlplane.webhook;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.controlplane.rollout.RolloutStateChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes a delivery per interested webhook when a rollout changes state, in that change's
 * transaction: the change and its announcement commit together or not at all.
 */
@Component
class WebhookOutbox {

	private static final Logger logger = LoggerFactory.getLogger(WebhookOutbox.class);

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final WebhookProperties properties;

	private final Clock clock;

	private final Counter dropped;

	WebhookOutbox(JdbcClient jdbc, JsonMapper json, WebhookProperties properties, Clock clock, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.json = json;
		this.properties = properties;
		this.clock = clock;
		this.dropped = Counter.builder("controlplane.webhooks.dropped")
			.tag("reason", "too-many-pending")
			.description("Webhook deliveries not queued because too many were waiting")
			.register(meters);
	}

	@EventListener
	void rolloutStateChanged(RolloutStateChanged change) {
		if (this.properties.webhooks().isEmpty()) {
			return;
		}
		String event = "rollout." + change.to().name().toLowerCase(Locale.ROOT);
		Map<String, Object> rollout = new LinkedHashMap<>();
		rollout.put("id", change.id());
		rollout.put("deployment", change.deployment());
		rollout.put("version", change.version());
		rollout.put("stableVersion", change.stableVersion());
		rollout.put("state", change.to().name());
		rollout.put("previousState", (change.from() != null) ? change.from().name() : null);
		rollout.put("currentStep", change.currentStep());
		rollout.put("currentWeight", change.currentWeight());
		rollout.put("reason", change.reason());
		rollout.put("actor", change.actor());
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("event", event);
		payload.put("occurredAt", change.at().toString());
		payload.put("rollout", rollout);
		String body = this.json.writeValueAsString(payload);
		long pending = this.jdbc.sql("SELECT count(*) FROM webhook_delivery").query(Long.class).single();
		for (WebhookProperties.Webhook webhook : this.properties.webhooks()) {
			if (!webhook.wants(event)) {
				continue;
			}
			if (pending >= this.properties.maxPending()) {
				this.dropped.increment();
				logger.warn("Dropped {} for webhook '{}': {} deliveries are already waiting", event, webhook.name(),
						pending);
				continue;
			}
			pending++;
			OffsetDateTime now = this.clock.instant().atOffset(ZoneOffset.UTC);
			this.jdbc.sql("""
					INSERT INTO webhook_delivery (webhook, event, payload, next_attempt_at, created_at)
					VALUES (?, ?, ?::jsonb, ?, ?)""").params(webhook.name(), event, body, now, now).update();
		}
	}

}
