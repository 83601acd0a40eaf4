package io.servinglayer.controlplane;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * A small HTTP client of the admin API for tests: real requests over a socket, as a CI
 * pipeline or curl would send them, with multipart bodies built by hand, and real tokens
 * from the control plane's own token endpoint. The injected instance calls as the admin
 * client; {@link #as} and {@link #anonymous} give clients with another token or none.
 */
public class AdminApi {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Environment environment;

	private final Supplier<String> token;

	private volatile String adminToken;

	/** Reads the port lazily: the server starts after the context's beans are made. */
	@Autowired
	AdminApi(Environment environment) {
		this.environment = environment;
		this.token = this::adminToken;
	}

	private AdminApi(Environment environment, Supplier<String> token) {
		this.environment = environment;
		this.token = token;
	}

	/** A client that sends {@code token} as its bearer token. */
	public AdminApi as(String token) {
		return new AdminApi(this.environment, () -> token);
	}

	/** A client that sends no token. */
	public AdminApi anonymous() {
		return new AdminApi(this.environment, () -> null);
	}

	/**
	 * Asks the token endpoint for a client_credentials token; fails the test if it is
	 * refused.
	 */
	public String token(String clientId, String secret) {
		Response response = tokenRequest(clientId, secret, null);
		if (response.status() != 200) {
			throw new IllegalStateException("token request for " + clientId + " failed: " + response);
		}
		return response.json().path("access_token").asString();
	}

	/** The raw answer of the token endpoint, with HTTP basic client authentication. */
	public Response tokenRequest(String clientId, String secret, String scope) {
		String form = "grant_type=client_credentials"
				+ ((scope != null) ? "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8) : "");
		String basic = Base64.getEncoder()
			.encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
					+ URLEncoder.encode(secret, StandardCharsets.UTF_8))
				.getBytes(StandardCharsets.UTF_8));
		return send(anonymous().request("/oauth2/token")
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form)));
	}

	private String adminToken() {
		if (this.adminToken == null) {
			this.adminToken = token(ControlPlaneIntegrationTest.ADMIN_CLIENT, ControlPlaneIntegrationTest.ADMIN_SECRET);
		}
		return this.adminToken;
	}

	public Response get(String path, String... headers) {
		return send(request(path, headers).GET());
	}

	public Response postJson(String path, String body, String... headers) {
		return send(request(path, headers).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	/** Posts JSON lines ({@code application/x-ndjson}). */
	public Response postLines(String path, String lines, String... headers) {
		return send(request(path, headers).header("Content-Type", "application/x-ndjson")
			.POST(HttpRequest.BodyPublishers.ofString(lines)));
	}

	public Response post(String path, String... headers) {
		return send(request(path, headers).POST(HttpRequest.BodyPublishers.noBody()));
	}

	public Response patchJson(String path, String body, String... headers) {
		return send(request(path, headers).header("Content-Type", "application/merge-patch+json")
			.method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
	}

	/** Uploads a version as curl -F artifact=@file -F metadata=... would. */
	public Response upload(String model, byte[] artifact, String metadata, String... headers) {
		String boundary = "----servinglayer-test-" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		if (artifact != null) {
			part(body, boundary, "Content-Disposition: form-data; name=\"artifact\"; filename=\"model.onnx\"\r\n"
					+ "Content-Type: application/octet-stream\r\n", artifact);
		}
		if (metadata != null) {
			part(body, boundary,
					"Content-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n",
					metadata.getBytes(StandardCharsets.UTF_8));
		}
		body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		return send(request("/api/v1/models/" + model + "/versions", headers)
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
	}

	private static void part(ByteArrayOutputStream body, String boundary, String headers, byte[] content) {
		body.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
		body.writeBytes(content);
		body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
	}

	public Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			return new Response(response.statusCode(), response);
		}
		catch (Exception ex) {
			throw new IllegalStateException("request failed: " + ex, ex);
		}
	}

	/**
	 * A request to {@code path} with this client's token, unless {@code headers} set
	 * Authorization.
	 */
	public HttpRequest.Builder request(String path, String... headers) {
		HttpRequest.Builder builder = HttpRequest
			.newBuilder(
					URI.create("http://localhost:" + this.environment.getRequiredProperty("local.server.port") + path))
			.timeout(Duration.ofSeconds(30));
		boolean authorizationGiven = false;
		for (int i = 0; i < headers.length; i += 2) {
			builder.header(headers[i], headers[i + 1]);
			authorizationGiven |= headers[i].equalsIgnoreCase("Authorization");
		}
		String bearer = authorizationGiven ? null : this.token.get();
		if (bearer != null) {
			builder.header("Authorization", "Bearer " + bearer);
		}
		return builder;
	}

	/** An answer of the admin API. */
	public record Response(int status, HttpResponse<byte[]> raw) {

		public String body() {
			return new String(this.raw.body(), StandardCharsets.UTF_8);
		}

		public byte[] bytes() {
			return this.raw.body();
		}

		public JsonNode json() {
			return json.readTree(body());
		}

		public String header(String name) {
			return this.raw.headers().firstValue(name).orElse(null);
		}

		/** The problem type's last segment, such as {@code model-not-found}. */
		public String problemType() {
			String type = json().path("type").asString();
			return type.substring(type.lastIndexOf('/') + 1);
		}

		@Override
		public String toString() {
			return this.status + " " + body();
		}

	}

}
