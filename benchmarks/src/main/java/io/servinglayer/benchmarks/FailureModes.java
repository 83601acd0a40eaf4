package io.servinglayer.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.HdrHistogram.Recorder;

/**
 * The failure modes a serving layer must survive, each driven against the stack that
 * {@code ./servinglayer up} runs on this machine: steady model calls through the gateway
 * (or at one instance), a fault injected while they run, and what the callers saw before,
 * during and after it: requests sent, failures by kind, p99 per phase, and how long after
 * the fault ended failures went on. Faults are real: a process paused with SIGSTOP (a
 * hung dependency) or killed with SIGKILL (a crash), deploys and key rotations through
 * the admin API. Prints a Markdown table; RELIABILITY.md holds the figures and the
 * command.
 *
 * <p>
 * Loopback only, bounded in time: each scenario runs about 30 to 60 seconds.
 */
public final class FailureModes {

	private static final Path STATE = Path.of(System.getProperty("failure-modes.state", ".servinglayer"));

	private static final String INFER_BODY = """
			{"inputs": [{"name": "input", "shape": [1, 3], "datatype": "FP32", "data": [120, 35.5, 4]}]}""";

	private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern PROBLEM_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"[^\"]*/problems/([^\"]+)\"");

	private static final Pattern CLIENT_SECRET = Pattern.compile("\"clientSecret\"\\s*:\\s*\"([^\"]+)\"");

	private final Map<String, String> credentials;

	private final URI gateway;

	private final URI controlPlane;

	private final URI instance;

	private final HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final HttpClient tls;

	private final List<String> rows = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	private FailureModes() throws Exception {
		this.credentials = readCredentials(STATE.resolve("credentials.env"));
		this.gateway = URI.create("https://localhost:" + env("SERVINGLAYER_GATEWAY_PORT", "8443"));
		this.controlPlane = URI.create(this.credentials.get("ISSUER_URL"));
		this.instance = URI.create("http://127.0.0.1:" + env("SERVINGLAYER_INFERENCE_PORT", "8082"));
		this.tls = HttpClient.newBuilder()
			.sslContext(trusting(STATE.resolve("gateway/gateway.pem")))
			.connectTimeout(Duration.ofSeconds(2))
			.build();
	}

	public static void main(String[] args) throws Exception {
		FailureModes modes = new FailureModes();
		List<String> wanted = (args.length > 0) ? List.of(args) : List.of("deploys", "key-rotation", "instance-kill",
				"control-plane-down", "redis-down", "postgres-down", "overload", "thundering-herd");
		modes.rows.add("| scenario | fault | requests | failed | failures by kind | p99 before ms | p99 during ms "
				+ "| p99 after ms | failures after the fault ended |");
		modes.rows.add("| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |");
		String secret = modes.reliabilityClient();
		Supplier<String> token = modes.tokens("reliability", secret);
		for (String scenario : wanted) {
			switch (scenario) {
				case "deploys" -> modes.deploys(token);
				case "key-rotation" -> modes.keyRotation(secret);
				case "instance-kill" -> modes.instanceKill(token);
				case "control-plane-down" -> modes.pausedProcess(token, "control-plane-down",
						"control plane paused (SIGSTOP) 20 s", pids("control-plane"), 20);
				case "redis-down" ->
					modes.pausedProcess(token, "redis-down", "Redis paused (SIGSTOP) 12 s", redisPids(), 12);
				case "postgres-down" -> modes.postgresDown(token);
				case "overload" -> modes.overload();
				case "thundering-herd" -> modes.thunderingHerd();
				default -> throw new IllegalArgumentException("no scenario " + scenario);
			}
		}
		System.out.println();
		modes.rows.forEach(System.out::println);
		System.out.println();
		modes.notes.forEach(System.out::println);
		System.exit(0);
	}

	/** Stable 1 to a canary of 2 at 50 % and 100 %, then 2 as stable, then a rollback. */
	private void deploys(Supplier<String> token) throws Exception {
		String ci = clientToken(this.credentials.get("CI_CLIENT_ID"), this.credentials.get("CI_CLIENT_SECRET"));
		ensureSecondVersion(ci);
		putDeployment(ci, "{\"model\": \"fraud\", \"stableVersion\": 1}");
		Thread.sleep(3000);
		try (Load load = new Load(this.tls, () -> gatewayInfer(token.get()), 8)) {
			Phase before = load.phase("before");
			Thread.sleep(5000);
			Phase during = load.phase("during");
			List<String> steps = new ArrayList<>();
			String[] specs = {
					"{\"model\": \"fraud\", \"stableVersion\": 1, \"canary\": {\"version\": 2, \"weightBasisPoints\": 5000}}",
					"{\"model\": \"fraud\", \"stableVersion\": 1, \"canary\": {\"version\": 2, \"weightBasisPoints\": 10000}}",
					"{\"model\": \"fraud\", \"stableVersion\": 2}" };
			for (String spec : specs) {
				steps.add(Integer.toString(putDeployment(ci, spec)));
				Thread.sleep(5000);
			}
			steps.add(Integer.toString(send(this.plain,
					admin(ci, "/api/v1/deployments/fraud:rollback").POST(HttpRequest.BodyPublishers.noBody()))
				.statusCode()));
			Thread.sleep(5000);
			long healed = System.nanoTime();
			Phase after = load.phase("after");
			Thread.sleep(8000);
			row("deploys",
					"canary 2 at 50 %, 100 %, stable 2, rollback (admin answers " + String.join(", ", steps) + ")",
					load, before, during, after, healed);
		}
		putDeployment(ci, "{\"model\": \"fraud\", \"stableVersion\": 1}");
	}

	/**
	 * Two signing-key rotations while the caller takes a new token every second, so
	 * requests carry tokens signed by the old and the new keys.
	 */
	private void keyRotation(String secret) throws Exception {
		String ops = clientToken(this.credentials.get("OPS_CLIENT_ID"), this.credentials.get("OPS_CLIENT_SECRET"));
		AtomicLong tokens = new AtomicLong();
		AtomicBoolean running = new AtomicBoolean(true);
		String[] current = { clientToken("reliability", secret) };
		Thread refresher = new Thread(() -> {
			while (running.get()) {
				try {
					Thread.sleep(1000);
					current[0] = clientToken("reliability", secret);
					tokens.incrementAndGet();
				}
				catch (Exception ex) {
					// the load counts what a stale token does
				}
			}
		});
		refresher.setDaemon(true);
		refresher.start();
		try (Load load = new Load(this.tls, () -> gatewayInfer(current[0]), 8)) {
			Phase before = load.phase("before");
			Thread.sleep(5000);
			Phase during = load.phase("during");
			int first = send(this.plain,
					admin(ops, "/api/v1/signing-keys:rotate").POST(HttpRequest.BodyPublishers.noBody()))
				.statusCode();
			Thread.sleep(8000);
			int second = send(this.plain,
					admin(ops, "/api/v1/signing-keys:rotate").POST(HttpRequest.BodyPublishers.noBody()))
				.statusCode();
			Thread.sleep(8000);
			long healed = System.nanoTime();
			Phase after = load.phase("after");
			Thread.sleep(5000);
			row("key-rotation", "signing keys rotated twice, 8 s apart (admin answers " + first + ", " + second + "; "
					+ tokens.get() + " new tokens taken meanwhile)", load, before, during, after, healed);
		}
		finally {
			running.set(false);
		}
	}

	/** One instance killed with SIGKILL; the supervisor brings it back. */
	private void instanceKill(Supplier<String> token) throws Exception {
		long pid = pids("inference").get(0);
		try (Load load = new Load(this.tls, () -> gatewayInfer(token.get()), 8)) {
			Phase before = load.phase("before");
			Thread.sleep(5000);
			Phase during = load.phase("during");
			long killed = System.nanoTime();
			signal("KILL", List.of(pid));
			// Dead once the port stops answering; back once it is ready again.
			await(() -> status(this.instance.resolve("/v2/health/ready")) != 200, 10);
			boolean back = await(() -> status(this.instance.resolve("/v2/health/ready")) == 200, 120);
			double backSeconds = (System.nanoTime() - killed) / 1e9;
			long healed = System.nanoTime();
			Phase after = load.phase("after");
			Thread.sleep(8000);
			row("instance-kill", "instance-1 killed (SIGKILL); " + (back
					? String.format(Locale.ROOT, "restarted by the supervisor and ready %.1f s later", backSeconds)
					: "not back within 120 s"), load, before, during, after, healed);
		}
	}

	private void pausedProcess(Supplier<String> token, String name, String fault, List<Long> pids, int seconds)
			throws Exception {
		try (Load load = new Load(this.tls, () -> gatewayInfer(token.get()), 8);
				Load predict = new Load(this.plain, this::instancePredict, 2)) {
			Phase before = load.phase("before");
			Phase predictBefore = predict.phase("before");
			Thread.sleep(5000);
			Phase during = load.phase("during");
			Phase predictDuring = predict.phase("during");
			signal("STOP", pids);
			try {
				Thread.sleep(seconds * 1000L);
			}
			finally {
				signal("CONT", pids);
			}
			long healed = System.nanoTime();
			Phase after = load.phase("after");
			Phase predictAfter = predict.phase("after");
			Thread.sleep(10000);
			row(name, fault + "; model calls through the gateway", load, before, during, after, healed);
			row(name, fault + "; `:predict` with online features, at an instance", predict, predictBefore,
					predictDuring, predictAfter, healed);
		}
	}

	/** PostgreSQL paused: serving goes on; the admin API answers within its bounds. */
	private void postgresDown(Supplier<String> token) throws Exception {
		String ci = clientToken(this.credentials.get("CI_CLIENT_ID"), this.credentials.get("CI_CLIENT_SECRET"));
		long postmaster = Long.parseLong(Files.readAllLines(STATE.resolve("postgres/postmaster.pid")).get(0).trim());
		List<Long> pids = new ArrayList<>(List.of(postmaster));
		pids.addAll(children(postmaster));
		Map<String, LongAdder> adminAnswers = new TreeMap<>();
		Map<String, LongAdder> tokenAnswers = new TreeMap<>();
		AtomicLong slowestAdmin = new AtomicLong();
		try (Load load = new Load(this.tls, () -> gatewayInfer(token.get()), 8)) {
			Phase before = load.phase("before");
			Thread.sleep(5000);
			Phase during = load.phase("during");
			signal("STOP", pids);
			try {
				long until = System.nanoTime() + 30_000_000_000L;
				while (System.nanoTime() < until) {
					long started = System.nanoTime();
					String answer;
					try {
						HttpResponse<String> response = this.plain.send(
								admin(ci, "/api/v1/models/fraud").timeout(Duration.ofSeconds(40)).GET().build(),
								HttpResponse.BodyHandlers.ofString());
						answer = response.statusCode() + kind(response.body());
					}
					catch (IOException ex) {
						answer = ex.getClass().getSimpleName();
					}
					slowestAdmin.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
					adminAnswers.computeIfAbsent(answer, (k) -> new LongAdder()).increment();
					String tokenAnswer;
					try {
						clientToken(this.credentials.get("CI_CLIENT_ID"), this.credentials.get("CI_CLIENT_SECRET"));
						tokenAnswer = "200";
					}
					catch (IOException ex) {
						tokenAnswer = ex.getMessage().replaceAll(".*: ", "");
					}
					tokenAnswers.computeIfAbsent(tokenAnswer, (k) -> new LongAdder()).increment();
					Thread.sleep(500);
				}
			}
			finally {
				signal("CONT", pids);
			}
			long healed = System.nanoTime();
			Phase after = load.phase("after");
			Thread.sleep(8000);
			int adminAfter = send(this.plain, admin(ci, "/api/v1/models/fraud").GET()).statusCode();
			row("postgres-down", "PostgreSQL paused (SIGSTOP) 30 s; model calls through the gateway", load, before,
					during, after, healed);
			this.notes.add("postgres-down: the admin API (`GET /api/v1/models/fraud`, 40 s client timeout) answered "
					+ adminAnswers + " while PostgreSQL was paused, the slowest in " + slowestAdmin.get() + " ms; "
					+ adminAfter + " after. The token endpoint answered " + tokenAnswers + ".");
		}
	}

	/**
	 * An instance offered far more than it can serve: its throughput with 4 callers, then
	 * 64 and 512 callers at once for 30 s, then 4 again. The deployment it serves here
	 * has a 60 ms timeout, so a request that waited 30 ms in the queue is shed.
	 */
	private void overload() throws Exception {
		String ci = clientToken(this.credentials.get("CI_CLIENT_ID"), this.credentials.get("CI_CLIENT_SECRET"));
		HttpResponse<String> created = send(this.plain,
				admin(ci, "/api/v1/deployments/overload").header("Content-Type", "application/json")
					.PUT(HttpRequest.BodyPublishers.ofString("{\"model\": \"fraud\", \"stableVersion\": 1, "
							+ "\"timeoutMs\": 60, \"batching\": {\"maxBatchSize\": 32}}")));
		if (created.statusCode() != 201 && created.statusCode() != 200 && created.statusCode() != 428) {
			throw new IllegalStateException("could not deploy 'overload': " + created.body());
		}
		if (!await(() -> status(this.instance.resolve("/v2/models/overload/ready")) == 200, 60)) {
			throw new IllegalStateException("'overload' did not become ready on the instance");
		}
		long pid = pids("inference").get(0);
		long rssBefore = rssKib(pid);
		double sustainable;
		try (Load probe = new Load(this.plain, () -> instanceInfer("overload"), 4)) {
			probe.phase("warm-up");
			Thread.sleep(5000);
			Phase measured = probe.phase("measured");
			Thread.sleep(5000);
			sustainable = measured.sent.sum() / 5.0;
			probe.phase("done");
		}
		for (int callers : new int[] { 64, 512 }) {
			long maxRss = rssBefore;
			try (Load load = new Load(this.plain, () -> instanceInfer("overload"), callers)) {
				Phase during = load.phase("during");
				for (int i = 0; i < 30; i++) {
					Thread.sleep(1000);
					maxRss = Math.max(maxRss, rssKib(pid));
				}
				double answered = (during.sent.sum() - during.failed()) / 30.0;
				load.stopAll();
				try (Load after = new Load(this.plain, () -> instanceInfer("overload"), 4)) {
					Phase afterPhase = after.phase("after");
					Thread.sleep(5000);
					this.rows.add(String.format(Locale.ROOT,
							"| overload | %d callers at one instance for 30 s (4 callers: %.0f answered/s; now %.0f "
									+ "answered/s) | %d | %d | %s | | %.1f (admitted: %.1f) | %.1f | %d |",
							callers, sustainable, answered, during.sent.sum(), during.failed(), during.kinds(),
							during.p99(), during.p99Succeeded(), afterPhase.p99(), afterPhase.failed()));
					System.out.println(this.rows.get(this.rows.size() - 1));
					this.notes.add(String.format(Locale.ROOT,
							"overload with %d callers: instance RSS %d MiB before, at most %d MiB during; "
									+ "Retry-After on every 503: %s.",
							callers, rssBefore / 1024, maxRss / 1024, during.retryAfterOnEvery503()));
				}
			}
		}
	}

	/**
	 * 64 callers asking one instance's {@code :predict} for the same five cards at once:
	 * the feature cache's entries expire every 4 to 5 s (5 s with 20 % jitter), and each
	 * expiry finds the callers all missing the same key together. Redis' own count of
	 * HGETALL calls (the online store's read) says how many reads reached it.
	 */
	private void thunderingHerd() throws Exception {
		java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
		long readsBefore = redisCalls("hgetall");
		try (Load load = new Load(this.plain, () -> instancePredict("card-100" + (1 + next.getAndIncrement() % 5)),
				64)) {
			Phase during = load.phase("during");
			Thread.sleep(20_000);
			load.stopAll();
			long reads = redisCalls("hgetall") - readsBefore;
			long answered = during.sent.sum() - during.failed();
			this.rows.add(String.format(Locale.ROOT,
					"| thundering-herd | 64 callers, `:predict` for the same 5 cards at one instance for 20 s; the "
							+ "cache's entries expire every 4-5 s | %d | %d | %s | | %.1f | | %d reads of Redis "
							+ "(HGETALL) for %d answers: %.5f per answer |",
					during.sent.sum(), during.failed(), during.kinds(), during.p99(), reads, answered,
					(answered > 0) ? (double) reads / answered : 0));
			System.out.println(this.rows.get(this.rows.size() - 1));
		}
	}

	/** Redis' count of calls of one command, from {@code INFO commandstats}. */
	private static long redisCalls(String command) throws IOException {
		String password = Files.readString(STATE.resolve("secrets/redis.password")).trim();
		int port = Integer.parseInt(env("SERVINGLAYER_EMBEDDED_REDIS_PORT", "16379"));
		try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(1000);
			java.io.OutputStream out = socket.getOutputStream();
			out.write(("*2\r\n$4\r\nAUTH\r\n$" + password.length() + "\r\n" + password
					+ "\r\n*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n")
				.getBytes(StandardCharsets.UTF_8));
			out.flush();
			java.io.BufferedReader in = new java.io.BufferedReader(
					new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			String prefix = "cmdstat_" + command + ":calls=";
			String line;
			while ((line = in.readLine()) != null) {
				if (line.startsWith(prefix)) {
					return Long.parseLong(line.substring(prefix.length()).split(",")[0]);
				}
			}
			return 0;
		}
		catch (java.net.SocketTimeoutException ex) {
			// The whole answer was read and named no call of the command.
			return 0;
		}
	}

	private void row(String name, String fault, Load load, Phase before, Phase during, Phase after, long healed) {
		long sent = before.sent.sum() + during.sent.sum() + after.sent.sum();
		long failed = before.failed() + during.failed() + after.failed();
		Map<String, Long> kinds = new TreeMap<>();
		for (Phase phase : List.of(before, during, after)) {
			phase.failures.forEach((kind, count) -> kinds.merge(kind, count.sum(), Long::sum));
		}
		long lastFailure = load.lastFailureNanos.get();
		String tail = (lastFailure > healed) ? String.format(Locale.ROOT, "%.1f s", (lastFailure - healed) / 1e9)
				: "none";
		this.rows.add(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %.1f | %.1f | %.1f | %s |", name, fault,
				sent, failed, kinds.isEmpty() ? "" : kinds.toString(), before.p99(), during.p99(), after.p99(), tail));
		System.out.println(this.rows.get(this.rows.size() - 1));
	}

	private HttpRequest gatewayInfer(String token) {
		return HttpRequest.newBuilder(this.gateway.resolve("/v2/models/fraud/infer"))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString(INFER_BODY))
			.build();
	}

	private HttpRequest instanceInfer(String deployment) {
		return HttpRequest.newBuilder(this.instance.resolve("/v2/models/" + deployment + "/infer"))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString(INFER_BODY))
			.build();
	}

	private HttpRequest instancePredict() {
		return instancePredict("card-1001");
	}

	private HttpRequest instancePredict(String card) {
		return HttpRequest.newBuilder(this.instance.resolve("/v1/models/fraud:predict"))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"instances\": [{\"card_id\": \"" + card + "\", \"amount\": 129.5}]}"))
			.build();
	}

	/**
	 * A client whose rate plan the load cannot exhaust: the limiter still runs each time.
	 */
	private String reliabilityClient() throws Exception {
		String ops = clientToken(this.credentials.get("OPS_CLIENT_ID"), this.credentials.get("OPS_CLIENT_SECRET"));
		HttpResponse<String> created = send(this.plain, admin(ops, "/api/v1/clients")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"clientId\": \"reliability\", \"tenant\": \"reliability\", "
					+ "\"scopes\": [\"predict\"], \"ratePlan\": {\"requestsPerSecond\": 1000000, \"burst\": 1000000}}")));
		if (created.statusCode() != 201) {
			created = send(this.plain,
					admin(ops, "/api/v1/clients/reliability:rotate-secret").POST(HttpRequest.BodyPublishers.noBody()));
		}
		Matcher secret = CLIENT_SECRET.matcher(created.body());
		if (!secret.find()) {
			throw new IllegalStateException("could not make the reliability client: " + created.body());
		}
		// The gateway learns of the client from the next routing snapshot.
		Thread.sleep(3000);
		return secret.group(1);
	}

	private Supplier<String> tokens(String clientId, String secret) throws Exception {
		String token = clientToken(clientId, secret);
		return () -> token;
	}

	private String clientToken(String clientId, String secret) throws IOException, InterruptedException {
		String basic = java.util.Base64.getEncoder()
			.encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> answer = this.plain.send(HttpRequest.newBuilder(this.controlPlane.resolve("/oauth2/token"))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.build(), HttpResponse.BodyHandlers.ofString());
		Matcher token = ACCESS_TOKEN.matcher(answer.body());
		if (answer.statusCode() != 200 || !token.find()) {
			throw new IOException("no token for " + clientId + ": " + answer.statusCode() + kind(answer.body()));
		}
		return token.group(1);
	}

	private void ensureSecondVersion(String ci) throws Exception {
		if (send(this.plain, admin(ci, "/api/v1/models/fraud/versions/2").GET()).statusCode() == 200) {
			return;
		}
		String boundary = "failure-modes-" + System.nanoTime();
		byte[] model = Files.readAllBytes(STATE.resolve("models/fraud.onnx"));
		String metadata = """
				{"label": "reliability", "featureBinding": {"featureView": {"name": "fraud_features", "version": 1},
				 "requestFeatures": [{"name": "amount", "dtype": "FP32"}],
				 "inputs": {"input": ["account_age_days", "amount", "txn_count_24h"]}}}""";
		java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
		body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
				+ "Content-Type: application/json\r\n\r\n" + metadata + "\r\n--" + boundary
				+ "\r\nContent-Disposition: form-data; name=\"artifact\"; filename=\"fraud.onnx\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8));
		body.write(model);
		body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> uploaded = send(this.plain,
				admin(ci, "/api/v1/models/fraud/versions")
					.header("Content-Type", "multipart/form-data; boundary=" + boundary)
					.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
		if (uploaded.statusCode() != 201) {
			throw new IllegalStateException("could not upload version 2: " + uploaded.body());
		}
	}

	private int putDeployment(String ci, String spec) throws Exception {
		HttpResponse<String> current = send(this.plain, admin(ci, "/api/v1/deployments/fraud").GET());
		String etag = current.headers().firstValue("ETag").orElseThrow();
		HttpResponse<String> put = send(this.plain,
				admin(ci, "/api/v1/deployments/fraud").header("If-Match", etag)
					.header("Content-Type", "application/json")
					.PUT(HttpRequest.BodyPublishers.ofString(spec)));
		return put.statusCode();
	}

	private HttpRequest.Builder admin(String token, String path) {
		return HttpRequest.newBuilder(this.controlPlane.resolve(path))
			.header("Authorization", "Bearer " + token)
			.timeout(Duration.ofSeconds(30));
	}

	private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request)
			throws IOException, InterruptedException {
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private int status(URI uri) {
		try {
			return this.plain
				.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 0;
		}
	}

	private static boolean await(Supplier<Boolean> condition, int seconds) throws InterruptedException {
		long until = System.nanoTime() + seconds * 1_000_000_000L;
		while (System.nanoTime() < until) {
			if (condition.get()) {
				return true;
			}
			Thread.sleep(200);
		}
		return false;
	}

	private static String kind(String body) {
		Matcher type = PROBLEM_TYPE.matcher((body != null) ? body : "");
		return type.find() ? " " + type.group(1) : "";
	}

	private static List<Long> pids(String service) throws IOException {
		return List.of(Long.parseLong(Files.readString(STATE.resolve("run/" + service + ".pid")).trim()));
	}

	private static List<Long> redisPids() throws IOException {
		return List.of(Long.parseLong(Files.readString(STATE.resolve("run/redis-server.pid")).trim()));
	}

	private static List<Long> children(long pid) {
		return ProcessHandle.of(pid)
			.map((handle) -> handle.children().map(ProcessHandle::pid).toList())
			.orElse(List.of());
	}

	private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
		pids.forEach((pid) -> command.add(Long.toString(pid)));
		new ProcessBuilder(command).inheritIO().start().waitFor();
	}

	private static long rssKib(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException ex) {
			// gone
		}
		return 0;
	}

	private static Map<String, String> readCredentials(Path file) throws IOException {
		Map<String, String> values = new LinkedHashMap<>();
		for (String line : Files.readAllLines(file)) {
			int equals = line.indexOf('=');
			if (!line.startsWith("#") && equals > 0) {
				values.put(line.substring(0, equals), line.substring(equals + 1));
			}
		}
		return values;
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

	private static SSLContext trusting(Path pem) throws Exception {
		KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
		trust.load(null, null);
		try (InputStream in = Files.newInputStream(pem)) {
			trust.setCertificateEntry("gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, factory.getTrustManagers(), null);
		return context;
	}

	/** What the callers saw in one phase of a scenario. */
	static final class Phase {

		final LongAdder sent = new LongAdder();

		final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

		final Recorder latencies = new Recorder(3);

		final Recorder succeeded = new Recorder(3);

		final AtomicBoolean retryAfterMissing = new AtomicBoolean();

		final LongAdder unavailable = new LongAdder();

		private org.HdrHistogram.Histogram all;

		private org.HdrHistogram.Histogram ok;

		long failed() {
			return this.failures.values().stream().mapToLong(LongAdder::sum).sum();
		}

		String kinds() {
			Map<String, Long> kinds = new TreeMap<>();
			this.failures.forEach((kind, count) -> kinds.put(kind, count.sum()));
			return kinds.isEmpty() ? "" : kinds.toString();
		}

		synchronized double p99() {
			if (this.all == null) {
				this.all = this.latencies.getIntervalHistogram();
			}
			return (this.all.getTotalCount() == 0) ? 0 : this.all.getValueAtPercentile(99) / 1000.0;
		}

		synchronized double p99Succeeded() {
			if (this.ok == null) {
				this.ok = this.succeeded.getIntervalHistogram();
			}
			return (this.ok.getTotalCount() == 0) ? 0 : this.ok.getValueAtPercentile(99) / 1000.0;
		}

		String retryAfterOnEvery503() {
			return (this.unavailable.sum() == 0) ? "no 503s" : this.retryAfterMissing.get() ? "no" : "yes";
		}

	}

	/**
	 * Closed-loop callers, each sending its next request when the last one is answered.
	 */
	static final class Load implements AutoCloseable {

		final AtomicLong lastFailureNanos = new AtomicLong();

		private final HttpClient client;

		private final Supplier<HttpRequest> request;

		private final List<Thread> callers = new ArrayList<>();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private volatile Phase phase = new Phase();

		Load(HttpClient client, Supplier<HttpRequest> request, int concurrency) {
			this.client = client;
			this.request = request;
			for (int i = 0; i < concurrency; i++) {
				Thread caller = new Thread(this::call, "caller-" + i);
				caller.setDaemon(true);
				this.callers.add(caller);
				caller.start();
			}
		}

		Phase phase(String name) {
			Phase next = new Phase();
			this.phase = next;
			return next;
		}

		private void call() {
			while (this.running.get()) {
				Phase current = this.phase;
				long started = System.nanoTime();
				String failure = null;
				boolean unavailable = false;
				boolean retryAfter = true;
				try {
					HttpResponse<String> answer = this.client.send(this.request.get(),
							HttpResponse.BodyHandlers.ofString());
					if (answer.statusCode() != 200) {
						failure = answer.statusCode() + kind(answer.body());
						unavailable = answer.statusCode() == 503;
						retryAfter = answer.headers().firstValue("Retry-After").isPresent();
					}
				}
				catch (IOException ex) {
					failure = ex.getClass().getSimpleName();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				catch (RuntimeException ex) {
					failure = ex.getClass().getSimpleName();
				}
				long micros = Math.max(1, (System.nanoTime() - started) / 1000);
				current.sent.increment();
				current.latencies.recordValue(micros);
				if (failure == null) {
					current.succeeded.recordValue(micros);
				}
				else {
					current.failures.computeIfAbsent(failure, (k) -> new LongAdder()).increment();
					this.lastFailureNanos.set(System.nanoTime());
					if (unavailable) {
						current.unavailable.increment();
						if (!retryAfter) {
							current.retryAfterMissing.set(true);
						}
					}
				}
			}
		}

		void stopAll() throws InterruptedException {
			this.running.set(false);
			for (Thread caller : this.callers) {
				caller.join(15_000);
			}
		}

		@Override
		public void close() throws InterruptedException {
			stopAll();
		}

	}

}
