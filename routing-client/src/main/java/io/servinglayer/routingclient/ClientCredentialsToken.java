package io.servinglayer.routingclient;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A data-plane service's access token from the control plane's token endpoint
 * ({@code client_credentials}, one scope), kept until shortly before it expires.
 * {@link #get()} fetches a new one only when the held one is about to expire or was
 * refused; fetching blocks for at most the request timeout.
 */
public final class ClientCredentialsToken {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Renewed this long before it expires, so a request or long-poll never outlives its
	 * token.
	 */
	private static final long RENEW_BEFORE_SECONDS = 45;

	private final URI tokenEndpoint;

	private final String clientId;

	private final String authorization;

	private final String body;

	private final Clock clock;

	private final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

	/** The token held and when it is due for renewal, published together. */
	private volatile Held held;

	public ClientCredentialsToken(URI controlPlane, String clientId, String clientSecret, String scope, Clock clock) {
		this.tokenEndpoint = controlPlane.resolve("/oauth2/token");
		this.clientId = clientId;
		this.authorization = "Basic "
				+ Base64.getEncoder()
					.encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
							+ URLEncoder.encode(clientSecret, StandardCharsets.UTF_8))
						.getBytes(StandardCharsets.UTF_8));
		this.body = "grant_type=client_credentials&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8);
		this.clock = clock;
	}

	/**
	 * The held token, or a new one when it is due for renewal.
	 * @throws IOException when the control plane cannot be reached or refuses the client
	 */
	public String get() throws IOException, InterruptedException {
		Held current = this.held;
		if (current != null && this.clock.instant().isBefore(current.renewAt())) {
			return current.token();
		}
		synchronized (this) {
			current = this.held;
			if (current != null && this.clock.instant().isBefore(current.renewAt())) {
				return current.token();
			}
			HttpResponse<byte[]> response = this.http.send(HttpRequest.newBuilder(this.tokenEndpoint)
				.header("Authorization", this.authorization)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.timeout(REQUEST_TIMEOUT)
				.POST(HttpRequest.BodyPublishers.ofString(this.body))
				.build(), HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() != 200) {
				throw new IOException(
						"the control plane refused a token for " + this.clientId + " (" + response.statusCode() + ")");
			}
			JsonNode answer = this.json.readTree(response.body());
			long lifetime = answer.path("expires_in").asLong(60);
			current = new Held(answer.path("access_token").asString(),
					this.clock.instant().plusSeconds(Math.max(1, lifetime - RENEW_BEFORE_SECONDS)));
			this.held = current;
			return current.token();
		}
	}

	/** When the held token is due for renewal. */
	public Instant renewAt() {
		Held current = this.held;
		return (current != null) ? current.renewAt() : Instant.EPOCH;
	}

	/** Forgets the held token, after the control plane refused it. */
	public void invalidate() {
		this.held = null;
	}

	private record Held(String token, Instant renewAt) {
	}

}
