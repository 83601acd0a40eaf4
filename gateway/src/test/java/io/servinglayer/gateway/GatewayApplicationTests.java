package io.servinglayer.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.servinglayer.gateway.requests.AccessLog;
import io.servinglayer.gateway.tls.TrustingClients;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway alone (no control plane, Redis refused): its client port speaks HTTPS with
 * the certificate it made, HTTP/1.1 and HTTP/2, routes only the documented paths, and
 * keeps actuator on the management port.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "servinglayer.gateway.redis.uri=redis://127.0.0.1:1" })
class GatewayApplicationTests {

	private static Path state;

	@Autowired
	private AccessLog accessLog;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	private HttpClient https;

	@DynamicPropertySource
	static void stateDirectory(DynamicPropertyRegistry registry) throws Exception {
		state = Files.createTempDirectory("gateway-tls");
		registry.add("servinglayer.gateway.tls.state-directory", state::toString);
	}

	@BeforeEach
	void trustTheGatewaysCertificate() throws Exception {
		this.https = TrustingClients.trusting(state, HttpClient.Version.HTTP_1_1);
	}

	@Test
	void servesHealthOverHttpsWithoutATokenOnHttp1AndHttp2() throws Exception {
		HttpResponse<String> live = this.https.send(get("/v2/health/live"), HttpResponse.BodyHandlers.ofString());
		assertThat(live.statusCode()).isEqualTo(200);
		assertThat(live.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
		assertThat(live.headers().firstValue("X-Request-Id")).isPresent();

		HttpClient http2 = TrustingClients.trusting(state, HttpClient.Version.HTTP_2);
		HttpResponse<String> overHttp2 = http2.send(get("/v2/health/live"), HttpResponse.BodyHandlers.ofString());
		assertThat(overHttp2.statusCode()).isEqualTo(200);
		assertThat(overHttp2.version()).isEqualTo(HttpClient.Version.HTTP_2);
	}

	@Test
	void isNotReadyBeforeItHoldsARoutingSnapshot() throws Exception {
		assertThat(this.https.send(get("/v2/health/ready"), HttpResponse.BodyHandlers.ofString()).statusCode())
			.isEqualTo(503);
	}

	@Test
	void refusesPlainHttpOnTheClientPort() {
		HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/v2/health/live"))
			.timeout(Duration.ofSeconds(10))
			.build();
		try {
			HttpResponse<String> answer = plain.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).isNotEqualTo(200);
		}
		catch (Exception ex) {
			assertThat(ex).isInstanceOf(java.io.IOException.class);
		}
	}

	@Test
	void answersUnknownPathsAndActuator404AsProblemsOnTheClientPort() throws Exception {
		for (String path : new String[] { "/actuator/health", "/actuator/prometheus", "/v2", "/v2/models", "/admin",
				"/v2/models/fraud/versions/1" }) {
			HttpResponse<String> answer = this.https.send(get(path), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(path).isEqualTo(404);
			assertThat(answer.headers().firstValue("Content-Type")).as(path)
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(answer.body()).as(path).contains("https://servinglayer.dev/problems/not-found");
		}
		HttpResponse<String> v2 = this.https.send(get("/v2/unknown"), HttpResponse.BodyHandlers.ofString());
		assertThat(v2.body()).contains("\"error\"");
	}

	@Test
	void asksForABearerTokenOnModelPathsWithAProblemAndAChallenge() throws Exception {
		HttpResponse<String> missing = this.https.send(post("/v2/models/fraud/infer", null),
				HttpResponse.BodyHandlers.ofString());
		assertThat(missing.statusCode()).isEqualTo(401);
		assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"servinglayer\"");
		assertThat(missing.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(missing.body()).contains("https://servinglayer.dev/problems/unauthenticated").contains("\"error\"");

		HttpResponse<String> garbage = this.https.send(post("/v1/models/fraud:predict", "not-a-jwt"),
				HttpResponse.BodyHandlers.ofString());
		assertThat(garbage.statusCode()).isEqualTo(401);
		assertThat(garbage.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
		assertThat(garbage.body()).doesNotContain("not-a-jwt").doesNotContain("\"error\"");
	}

	@Test
	void logsOneJsonLinePerRequestWithoutTokensOrQueries(CapturedOutput output) throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("https://localhost:" + this.port + "/nowhere?api_key=query-secret-123"))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer token-secret-456")
			.header("X-Request-Id", "logged-request-1")
			.build();
		assertThat(this.https.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output.getOut()).contains(
					"{\"requestId\":\"logged-request-1\",\"method\":\"GET\",\"path\":\"/nowhere\",\"status\":404,"));
		assertThat(output.getOut()).doesNotContain("query-secret-123").doesNotContain("token-secret-456");
		// Written by a background writer with a bounded backlog, never on the event loop.
		assertThat(this.accessLog.backlog()).isEqualTo(8192);
		assertThat(Thread.getAllStackTraces().keySet())
			.anyMatch((thread) -> thread.getName().equals("access-log-writer"));
	}

	@Test
	void refusesABodyOverTheLimitBeforeAuthenticating() throws Exception {
		HttpRequest huge = HttpRequest
			.newBuilder(URI.create("https://localhost:" + this.port + "/v2/models/fraud/infer"))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[17 * 1024 * 1024]))
			.build();
		HttpResponse<String> answer = this.https.send(huge, HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).isEqualTo(413);
		assertThat(answer.body()).contains("https://servinglayer.dev/problems/request-too-large");
	}

	@Test
	void refusesHeadersOverTheLimitWith431AsAProblemOnHttp1AndHttp2() throws Exception {
		for (HttpClient.Version version : new HttpClient.Version[] { HttpClient.Version.HTTP_1_1,
				HttpClient.Version.HTTP_2 }) {
			HttpClient client = TrustingClients.trusting(state, version);
			HttpResponse<String> under = client.send(withFiller("/v2/health/live", 15_000),
					HttpResponse.BodyHandlers.ofString());
			assertThat(under.statusCode()).as("%s, 15 000 bytes", version).isEqualTo(200);

			HttpResponse<String> over = client.send(withFiller("/v2/health/live", 17_000),
					HttpResponse.BodyHandlers.ofString());

			assertThat(over.statusCode()).as("%s, 17 000 bytes", version).isEqualTo(431);
			assertThat(over.version()).isEqualTo(version);
			assertThat(over.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
			assertThat(over.headers().firstValue("X-Request-Id")).isPresent();
			assertThat(over.body()).contains("https://servinglayer.dev/problems/request-headers-too-large")
				.contains("at most 16384 bytes")
				.contains("\"error\"");
		}
	}

	@Test
	void headersOverTheServersOwnCeilingGetABare431() throws Exception {
		// Over server.max-http-request-header-size (64 KB) Reactor Netty answers before
		// the
		// gateway sees the request: no problem document, and HTTP/1.1 closes the
		// connection.
		HttpResponse<String> http1 = this.https.send(withFiller("/v2/health/live", 70_000),
				HttpResponse.BodyHandlers.ofString());
		assertThat(http1.statusCode()).isEqualTo(431);
		assertThat(http1.body()).isEmpty();
		assertThat(http1.headers().firstValue("Connection")).hasValue("close");

		HttpResponse<String> http2 = TrustingClients.trusting(state, HttpClient.Version.HTTP_2)
			.send(withFiller("/v2/health/live", 70_000), HttpResponse.BodyHandlers.ofString());
		assertThat(http2.statusCode()).isEqualTo(431);
		assertThat(http2.body()).isEmpty();
	}

	private HttpRequest withFiller(String path, int bytes) {
		return HttpRequest.newBuilder(URI.create("https://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.header("X-Filler", "f".repeat(bytes))
			.build();
	}

	@Test
	void anHttp10ClientThatAsksToKeepItsConnectionIsToldSoAndCanSendItsNextRequestOnIt() throws Exception {
		javax.net.ssl.SSLSocketFactory sockets = TrustingClients.context(state).getSocketFactory();
		try (java.net.Socket socket = sockets.createSocket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			java.io.OutputStream out = socket.getOutputStream();
			java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
			// Answered by WebFlux, then by the model-call path, on the same connection.
			String[] requests = { "GET /v2/health/live HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n",
					"POST /v2/models/fraud/infer HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n"
							+ "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}" };
			int[] statuses = { 200, 401 };
			for (int i = 0; i < requests.length; i++) {
				out.write(requests[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII));
				out.flush();
				String head = readHead(in);
				assertThat(head).as(requests[i]).startsWith("HTTP/1.");
				assertThat(head.split(" ")[1]).as(head).isEqualTo(Integer.toString(statuses[i]));
				assertThat(head.toLowerCase(java.util.Locale.ROOT)).as(head).contains("\r\nconnection: keep-alive\r\n");
				java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)")
					.matcher(head);
				assertThat(length.find()).as(head).isTrue();
				in.readNBytes(Integer.parseInt(length.group(1)));
			}
		}
	}

	private static String readHead(java.io.InputStream in) throws java.io.IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int next = in.read();
			if (next < 0) {
				throw new java.io.EOFException("connection closed after: " + head);
			}
			head.append((char) next);
		}
		return head.toString();
	}

	@Test
	void servesProbesAndPrometheusOnTheManagementPortOverPlainHttp() throws Exception {
		HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		for (String path : new String[] { "/actuator/health/liveness", "/actuator/health/readiness" }) {
			HttpResponse<String> response = plain.send(management(path), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			assertThat(response.body()).as(path).contains("\"UP\"");
		}
		HttpResponse<String> metrics = plain.send(management("/actuator/prometheus"),
				HttpResponse.BodyHandlers.ofString());
		assertThat(metrics.statusCode()).isEqualTo(200);
		assertThat(metrics.body()).contains("jvm_memory_used_bytes");
	}

	private HttpRequest get(String path) {
		return HttpRequest.newBuilder(URI.create("https://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
	}

	private HttpRequest post(String path, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}"));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return request.build();
	}

	private HttpRequest management(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.managementPort + path))
			.timeout(Duration.ofSeconds(10))
			.build();
	}

}
