package io.servinglayer.controlplane.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhooks told of rollout state changes, for chat and incident tools. The secrets come
 * from settings (environment variables, a secret store), never from the database.
 *
 * @param webhooks the receivers; none by default
 * @param maxAttempts attempts per delivery before it is dropped (and counted)
 * @param firstRetry the wait after the first failed attempt; doubled after each failure
 * @param maxRetry the longest wait between attempts
 * @param connectTimeout how long a connection to a receiver may take
 * @param requestTimeout how long a receiver may take to answer
 * @param maxPending the most deliveries waiting at once; more are dropped (and counted)
 * @param deliverEvery how often the leader sends the deliveries that are due
 */
@ConfigurationProperties("servinglayer.control-plane.webhooks")
public record WebhookProperties(@DefaultValue List<Webhook> webhooks, @DefaultValue("8") int maxAttempts,
		@DefaultValue("2s") Duration firstRetry, @DefaultValue("5m") Duration maxRetry,
		@DefaultValue("2s") Duration connectTimeout, @DefaultValue("5s") Duration requestTimeout,
		@DefaultValue("10000") int maxPending, @DefaultValue("1s") Duration deliverEvery) {

	public WebhookProperties {
		if (maxAttempts < 1 || maxPending < 1) {
			throw new IllegalArgumentException(
					"servinglayer.control-plane.webhooks.max-attempts and max-pending must be positive");
		}
		webhooks = List.copyOf(webhooks);
		if (webhooks.stream().map(Webhook::name).distinct().count() != webhooks.size()) {
			throw new IllegalArgumentException("servinglayer.control-plane.webhooks.webhooks[].name must be unique");
		}
	}

	/**
	 * One receiver.
	 *
	 * @param name names the receiver in logs and metrics
	 * @param url where events are POSTed (http or https)
	 * @param secret the HMAC-SHA256 key of the {@code Servinglayer-Signature} header, at
	 * least 16 characters
	 * @param events the events it gets, such as {@code rollout.rolledback}; all when
	 * empty
	 */
	public record Webhook(String name, URI url, String secret, @DefaultValue Set<String> events) {

		public Webhook {
			if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
				throw new IllegalArgumentException(
						"servinglayer.control-plane.webhooks.webhooks[].name must be a DNS label, got " + name);
			}
			if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
					|| url.getHost() == null) {
				throw new IllegalArgumentException("webhook '" + name + "' needs an http or https url, got " + url);
			}
			if (secret == null || secret.length() < 16) {
				throw new IllegalArgumentException(
						"webhook '" + name + "' needs a secret of at least 16 characters to sign its events");
			}
			events = Set.copyOf(events);
		}

		boolean wants(String event) {
			return this.events.isEmpty() || this.events.contains(event);
		}

		@Override
		public String toString() {
			return "Webhook[name=" + this.name + ", url=" + this.url + ", events=" + this.events + "]";
		}

	}

}
