package io.servinglayer.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The real control plane, started from its runnable jar as a process of its own, on a
 * database and Redis key prefix of its own: what the data-plane services' tests talk to.
 * The jar's path comes from the system property {@code servinglayer.control-plane.jar},
 * which the modules' build sets. It has an admin client ({@link #ADMIN_CLIENT}) and, when
 * asked, a data-plane client with {@code routing:read}.
 */
public final class ControlPlaneProcess implements AutoCloseable {

	public static final String ADMIN_CLIENT = "test-admin";

	public static final String ADMIN_SECRET = "test-admin-secret-0123456789";

	private final ServiceProcess process;

	private final URI url;

	private final TestPostgres.Database database;

	private final String redisPrefix;

	/** What it was started with, for a replica on the same database. */
	private final Map<String, String> environment;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private ControlPlaneProcess(ServiceProcess process, URI url, TestPostgres.Database database, String redisPrefix,
			Map<String, String> environment) {
		this.process = process;
		this.url = url;
		this.database = database;
		this.redisPrefix = redisPrefix;
		this.environment = Map.copyOf(environment);
	}

	/**
	 * Starts a control plane and waits until it is ready.
	 * @param dataPlaneClientId a client to create with the {@code routing:read} scope
	 * @param dataPlaneSecret its secret, at least 16 characters
	 */
	public static ControlPlaneProcess start(String dataPlaneClientId, String dataPlaneSecret) {
		return start(dataPlaneClientId, dataPlaneSecret, "routing:read");
	}

	/**
	 * Starts a control plane and waits until it is ready.
	 * @param dataPlaneClientId a client to create with {@code dataPlaneScopes}
	 * @param dataPlaneSecret its secret, at least 16 characters
	 * @param dataPlaneScopes its scopes, comma-separated
	 * ({@code routing:read,inference:call} for a gateway that calls instances requiring
	 * its token)
	 */
	public static ControlPlaneProcess start(String dataPlaneClientId, String dataPlaneSecret, String dataPlaneScopes) {
		return start(dataPlaneClientId, dataPlaneSecret, dataPlaneScopes, Map.of());
	}

	/**
	 * Starts a control plane with more settings, as environment variables (such as
	 * {@code SERVINGLAYER_CONTROLPLANE_ROLLOUTS_TICK}), and waits until it is ready.
	 */
	public static ControlPlaneProcess start(String dataPlaneClientId, String dataPlaneSecret, String dataPlaneScopes,
			Map<String, String> settings) {
		TestPostgres.Database database = TestPostgres.get().createDatabase();
		TestRedis redis = TestRedis.get();
		String prefix = redis.newKeyPrefix();
		int port = ServiceProcess.freePort();
		URI url = URI.create("http://127.0.0.1:" + port);
		Map<String, String> env = new HashMap<>();
		env.put("SPRING_DATASOURCE_URL", database.jdbcUrl());
		env.put("SPRING_DATASOURCE_USERNAME", database.username());
		env.put("SPRING_DATASOURCE_PASSWORD", database.password());
		env.put("SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE", "5");
		env.put("SPRING_DATA_REDIS_HOST", redis.host());
		env.put("SPRING_DATA_REDIS_PORT", Integer.toString(redis.port()));
		env.put("SERVINGLAYER_REDIS_KEYPREFIX", prefix);
		env.put("SERVER_PORT", Integer.toString(port));
		env.put("SERVINGLAYER_CONTROLPLANE_ACCESS_ISSUER", url.toString());
		env.put("SERVINGLAYER_CONTROLPLANE_BOOTSTRAP_ADMINPASSWORD", "test-admin-password");
		env.put("SERVINGLAYER_CONTROLPLANE_BOOTSTRAP_CLIENTS_0_CLIENTID", ADMIN_CLIENT);
		env.put("SERVINGLAYER_CONTROLPLANE_BOOTSTRAP_CLIENTS_0_SECRET", ADMIN_SECRET);
		env.put("SERVINGLAYER_CONTROLPLANE_BOOTSTRAP_CLIENTS_0_SCOPES", "admin");
		env.put("SERVINGLAYER_CONTROLPLANE_BOOTSTRAP_CLIENTS_1_CLIENTID", dataPlaneClientId);
		env.put("SERVINGLAYER_CONTROLPLANE_BOOTSTRAP_CLIENTS_1_SECRET", dataPlaneSecret);
		env.put("SERVINGLAYER_CONTROLPLANE_BOOTSTRAP_CLIENTS_1_SCOPES", dataPlaneScopes);
		env.put("SERVINGLAYER_CONTROLPLANE_SIGNINGKEYS_KEYENCRYPTIONKEY", newKeyEncryptionKey());
		env.put("SERVINGLAYER_CONTROLPLANE_STATEDIRECTORY", newStateDirectory());
		env.putAll(settings);
		return launch(env, url, database, prefix);
	}

	/**
	 * Starts a second replica of this control plane: the same database, Redis prefix,
	 * key-encryption key, clients and settings, on a port and state folder of its own.
	 * Its tokens name it as their issuer.
	 */
	public ControlPlaneProcess startReplica() {
		int port = ServiceProcess.freePort();
		URI replicaUrl = URI.create("http://127.0.0.1:" + port);
		Map<String, String> env = new HashMap<>(this.environment);
		env.put("SERVER_PORT", Integer.toString(port));
		env.put("SERVINGLAYER_CONTROLPLANE_ACCESS_ISSUER", replicaUrl.toString());
		env.put("SERVINGLAYER_CONTROLPLANE_STATEDIRECTORY", newStateDirectory());
		return launch(env, replicaUrl, this.database, this.redisPrefix);
	}

	private static ControlPlaneProcess launch(Map<String, String> env, URI url, TestPostgres.Database database,
			String prefix) {
		ServiceProcess process = ServiceProcess.start("control plane " + url.getPort(),
				"servinglayer.control-plane.jar", List.of("-Xmx512m"), env);
		ControlPlaneProcess started = new ControlPlaneProcess(process, url, database, prefix, env);
		process.awaitOk(url.resolve("/actuator/health/readiness"), Duration.ofSeconds(120));
		return started;
	}

	/** Kills the process at once (SIGKILL), as a crash would: no clean shutdown. */
	public void kill() {
		this.process.kill();
	}

	/** A random key-encryption key for the signing keys: 32 bytes, base64. */
	private static String newKeyEncryptionKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	/** A state folder of this process's own: it empties its spool folder at start. */
	private static String newStateDirectory() {
		try {
			return Files.createTempDirectory("servinglayer-control-plane-").toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not make a state folder for the control plane", ex);
		}
	}

	public URI url() {
		return this.url;
	}

	/**
	 * The control plane's database, for tests that must reach under the API (to corrupt
	 * an artifact, say).
	 */
	public TestPostgres.Database database() {
		return this.database;
	}

	public String redisPrefix() {
		return this.redisPrefix;
	}

	/** A client_credentials token. */
	public String token(String clientId, String secret) {
		String basic = Base64.getEncoder()
			.encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
					+ URLEncoder.encode(secret, StandardCharsets.UTF_8))
				.getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> response = send(HttpRequest.newBuilder(this.url.resolve("/oauth2/token"))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
		if (response.statusCode() != 200) {
			throw new IllegalStateException("token request failed: " + response.statusCode() + " " + response.body());
		}
		return response.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
	}

	public String adminToken() {
		return token(ADMIN_CLIENT, ADMIN_SECRET);
	}

	/**
	 * Sends a request to the control plane as the admin client; the answer, whatever its
	 * status.
	 */
	public HttpResponse<String> send(String method, String path, String contentType, byte[] body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.url.resolve(path))
			.header("Authorization", "Bearer " + adminToken())
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofByteArray(body)
					: HttpRequest.BodyPublishers.noBody());
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return send(request);
	}

	public HttpResponse<String> sendJson(String method, String path, String json, String... headers) {
		return send(method, path, "application/json", json.getBytes(StandardCharsets.UTF_8), headers);
	}

	/** Uploads a version of a model as multipart, as curl -F artifact=@file would. */
	public HttpResponse<String> upload(String model, byte[] artifact) {
		return upload(model, artifact, null);
	}

	/**
	 * Uploads a version with its metadata (label, featureBinding…), as
	 * {@code curl -F artifact=@file -F metadata=…} would.
	 */
	public HttpResponse<String> upload(String model, byte[] artifact, String metadata) {
		String boundary = "----servinglayer-" + UUID.randomUUID();
		String metadataPart = (metadata != null) ? "--" + boundary
				+ "\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n"
				+ metadata + "\r\n" : "";
		byte[] head = (metadataPart + "--" + boundary
				+ "\r\nContent-Disposition: form-data; name=\"artifact\"; filename=\"model.onnx\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8);
		byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
		byte[] body = new byte[head.length + artifact.length + tail.length];
		System.arraycopy(head, 0, body, 0, head.length);
		System.arraycopy(artifact, 0, body, head.length, artifact.length);
		System.arraycopy(tail, 0, body, head.length + artifact.length, tail.length);
		return send("POST", "/api/v1/models/" + model + "/versions", "multipart/form-data; boundary=" + boundary, body);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("request to the control plane failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.process.close();
	}

}
