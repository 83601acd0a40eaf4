package io.servinglayer.controlplane;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.env.Environment;

/**
 * A small HTTP client of the admin API for tests: real requests over a socket, as a CI pipeline or
 * curl would send them, with multipart bodies built by hand.
 */
public class AdminApi {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Environment environment;

	/** Reads the port lazily: the server starts after the context's beans are made. */
	AdminApi(Environment environment) {
		this.environment = environment;
	}

	public Response get(String path, String... headers) {
		return send(request(path, headers).GET());
	}

	public Response postJson(String path, String body, String... headers) {
		return send(request(path, headers).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
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
			part(body, boundary, "Content-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n",
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
			HttpResponse<byte[]> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			return new Response(response.statusCode(), response);
		}
		catch (Exception ex) {
			throw new IllegalStateException("request failed: " + ex, ex);
		}
	}

	public HttpRequest.Builder request(String path, String... headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(
				URI.create("http://localhost:" + this.environment.getRequiredProperty("local.server.port") + path)).timeout(Duration.ofSeconds(30));
		for (int i = 0; i < headers.length; i += 2) {
			builder.header(headers[i], headers[i + 1]);
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
