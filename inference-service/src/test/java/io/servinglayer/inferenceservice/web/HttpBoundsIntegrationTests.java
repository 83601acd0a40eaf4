package io.servinglayer.inferenceservice.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.servinglayer.inferenceservice.InstanceCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The instance against hostile HTTP on a real port: bodies trickled a byte at a time,
 * oversized headers, malformed paths. Every answer is a problem document, and trickling
 * callers cannot keep the instance from answering others.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "servinglayer.inference.http.body-read-timeout=2s")
class HttpBoundsIntegrationTests {

	private static final String INFER = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", "
			+ "\"data\": [1, 2, 3]}]}";

	@LocalServerPort
	int port;

	@Autowired
	Environment environment;

	@Test
	void callersTricklingBodiesAreCutAfterTheBodyReadTimeoutAndOthersAreStillAnswered() throws Exception {
		List<Socket> tricklers = new ArrayList<>();
		ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
		try {
			for (int i = 0; i < 50; i++) {
				Socket socket = connect();
				socket.getOutputStream()
					.write(("POST /v2/models/fraud/infer HTTP/1.1\r\nHost: 127.0.0.1\r\n"
							+ "Content-Type: application/json\r\nContent-Length: " + INFER.length() + "\r\n\r\n"
							+ INFER.substring(0, 10))
						.getBytes(StandardCharsets.US_ASCII));
				tricklers.add(socket);
			}
			// A byte every 500 ms: never idle long enough for a read timeout, so only the
			// deadline on the whole body cuts them. At most 10 s of trickling.
			trickle.scheduleAtFixedRate(() -> {
				for (Socket socket : tricklers) {
					try {
						socket.getOutputStream().write(' ');
					}
					catch (IOException ex) {
						// cut by the instance, as it should be
					}
				}
			}, 500, 500, TimeUnit.MILLISECONDS);

			HttpResponse<String> fresh = InstanceCalls.at(this.environment).post("/v2/models/fraud/infer", INFER);
			assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(404);
			assertThat(fresh.headers().firstValue("Content-Type")).hasValue("application/problem+json");

			Socket first = tricklers.get(0);
			first.setSoTimeout(10_000);
			Answer answer = readAnswer(first.getInputStream());
			assertThat(answer.text()).startsWith("HTTP/1.1 408 ")
				.contains("Content-Type: application/problem+json")
				.contains("\"field\":\"body\"")
				.doesNotContain("<html");
			assertThat(answer.closed()).as("the instance closed the connection instead of reading the rest").isTrue();
		}
		finally {
			trickle.shutdownNow();
			for (Socket socket : tricklers) {
				socket.close();
			}
		}
	}

	@Test
	void aCallRefusedBeforeItsBodyIsReadDoesNotWaitForTheRestOfIt() throws Exception {
		ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
		try (Socket socket = connect()) {
			socket.getOutputStream()
				.write(("POST /v2/models/fraud/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
						+ "Content-Length: 100000\r\n\r\nabc")
					.getBytes(StandardCharsets.US_ASCII));
			// Never idle long enough for a read timeout: only not reading the rest ends
			// it.
			trickle.scheduleAtFixedRate(() -> {
				try {
					socket.getOutputStream().write('x');
				}
				catch (IOException ex) {
					// closed by the instance, as it should be
				}
			}, 500, 500, TimeUnit.MILLISECONDS);
			socket.setSoTimeout(10_000);

			Answer answer = readAnswer(socket.getInputStream());

			assertThat(answer.text()).startsWith("HTTP/1.1 415 ").contains("application/problem+json");
			assertThat(answer.closed()).as("the instance closed the connection instead of reading the rest").isTrue();
		}
		finally {
			trickle.shutdownNow();
		}
	}

	@Test
	void aCallRefusedWhoseBodyArrivedWholeKeepsItsConnectionForTheNext() throws Exception {
		try (Socket socket = connect()) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("POST /v2/models/fraud/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
						+ "Content-Length: " + INFER.length() + "\r\n\r\n" + INFER
						+ "GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));

			Answer answers = readAnswer(socket.getInputStream());

			assertThat(answers.text()).startsWith("HTTP/1.1 415 ").contains("HTTP/1.1 200 ");
		}
	}

	@Test
	void anAnsweredCallKeepsItsConnectionForTheNext() throws Exception {
		try (Socket socket = connect()) {
			socket.setSoTimeout(10_000);
			String call = "POST /v2/models/fraud/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
					+ "Content-Length: " + (INFER.length() + 1) + "\r\n\r\n" + INFER + "\n";
			socket.getOutputStream().write((call + call).getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream()
				.write("GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));

			Answer answers = readAnswer(socket.getInputStream());

			assertThat(answers.text().split("HTTP/1.1 ", -1)).hasSize(4);
			assertThat(answers.text()).contains("HTTP/1.1 200 ");
		}
	}

	@Test
	void headersUpToWhatTheGatewayForwardsAreAcceptedAndMoreIsAProblemDocument() throws Exception {
		String sixteenKb = "X-Padding: " + "a".repeat(16 * 1024) + "\r\n";
		String accepted = exchange(
				"GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n" + sixteenKb + "Connection: close\r\n\r\n");
		assertThat(accepted).startsWith("HTTP/1.1 200 ");

		String tooLarge = exchange("GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n" + sixteenKb.repeat(3)
				+ "Connection: close\r\n\r\n");
		assertThat(tooLarge).startsWith("HTTP/1.1 400 ")
			.containsIgnoringCase("Content-Type: application/problem+json")
			.contains("\"status\":400")
			.contains("\"error\":")
			.doesNotContainIgnoringCase("<html");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "POST /v2/models/%2e%2e/infer", "POST /v2/models/a%2Fb/infer",
			"POST /v2/models/a%00b/infer", "POST /v2/models/a%2fb/versions/1/infer", "GET /nowhere",
			"GET /v2/models/fraud/nothing/here", "POST /v1/models/%2e%2e:predict", "GET /%", "GET /v2/models/%zz" })
	void aMalformedOrUnknownPathIsAProblemDocument(String requestLine) throws Exception {
		String answer = exchange(requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
				+ "Content-Length: " + INFER.length() + "\r\nConnection: close\r\n\r\n" + INFER);

		assertThat(answer).matches("(?s)HTTP/1\\.1 4\\d\\d .*")
			.containsIgnoringCase("Content-Type: application/problem+json")
			.contains("\"error\":")
			.doesNotContainIgnoringCase("<html")
			.doesNotContain("Whitelabel");
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5_000);
		return socket;
	}

	/** Sends raw bytes, so nothing normalises the path, and reads the whole answer. */
	private String exchange(String request) throws IOException {
		try (Socket socket = connect()) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			return readAnswer(socket.getInputStream()).text();
		}
	}

	/**
	 * Everything until the instance closes the connection (closed) or the read times out
	 * (not closed).
	 */
	private static Answer readAnswer(InputStream in) throws IOException {
		ByteArrayOutputStream answer = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		boolean closed = true;
		try {
			for (int n; (n = in.read(buffer)) >= 0;) {
				answer.write(buffer, 0, n);
			}
		}
		catch (SocketTimeoutException ex) {
			closed = false;
		}
		catch (java.net.SocketException ex) {
			// reset by the instance: closed
		}
		return new Answer(answer.toString(StandardCharsets.ISO_8859_1), closed);
	}

	private record Answer(String text, boolean closed) {
	}

}
