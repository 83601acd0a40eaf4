package io.servinglayer.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.servinglayer.inferenceservice.InferenceServiceApplication;
import io.servinglayer.samplemodels.MlpModel;
import io.servinglayer.samplemodels.SyntheticClassifier;
import io.servinglayer.testsupport.ControlPlaneProcess;
import io.servinglayer.testsupport.TestRedis;
import org.HdrHistogram.Histogram;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Measures an inference instance end to end over HTTP against raw in-process ONNX Runtime
 * on the same machine in the same run, for a small model (a linear classifier over 30
 * features) and a compute-heavy one (an MLP, 512 inputs, ~1.5 M multiply-adds per row).
 * Prints a Markdown table. Closed-loop clients on 127.0.0.1, bounded in time. See
 * BENCHMARKS.md for how to run it.
 */
public final class ServingBenchmark {

	private static final int SECONDS = Integer.getInteger("benchmark.seconds", 8);

	private static final int WARMUP_SECONDS = Integer.getInteger("benchmark.warmup-seconds", 10);

	private static final List<Integer> CONNECTIONS = java.util.Arrays
		.stream(System.getProperty("benchmark.connections", "32,64").split(","))
		.map(Integer::parseInt)
		.toList();

	private static final boolean BASELINE = Boolean.parseBoolean(System.getProperty("benchmark.baseline", "true"));

	/** Deployments to drive over HTTP, such as {@code heavy-batched}; all when empty. */
	private static final List<String> DEPLOYMENTS = java.util.Arrays
		.stream(System.getProperty("benchmark.deployments", "").split(","))
		.filter((name) -> !name.isBlank())
		.toList();

	/** The batched deployments' queue delay: the default, 0, unless set. */
	private static final int QUEUE_DELAY_MICROS = Integer.getInteger("benchmark.queue-delay-micros", 0);

	private ServingBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path dir = Files.createTempDirectory("servinglayer-benchmark");
		List<String> features = IntStream.range(0, 30).mapToObj((i) -> String.format("f%02d", i)).toList();
		Path small = SyntheticClassifier.withFeatures(features, 1).writeOnnx(dir.resolve("small.onnx"));
		Path heavy = MlpModel.write(dir.resolve("heavy.onnx"), 512, 1024, 2, 1);
		List<String> rows = new ArrayList<>();
		rows.add("| scenario | rows/s | p50 ms | p99 ms | p99.9 ms | max ms | ratio to baseline (rows/s) |");
		rows.add("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");

		double smallBaseline = BASELINE
				? baseline(small, 30, 1, rows, "small: in-process OrtSession.run, 2 threads, batch 1", 0) : 1;
		double heavyBaseline = BASELINE
				? baseline(heavy, 512, 1, rows, "heavy: in-process OrtSession.run, 2 threads, batch 1", 0) : 1;
		if (BASELINE) {
			baseline(small, 30, 32, rows, "small: in-process OrtSession.run, 2 threads, batch 32", smallBaseline);
			baseline(heavy, 512, 32, rows, "heavy: in-process OrtSession.run, 2 threads, batch 32", heavyBaseline);
		}

		try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start("bench-inference",
				"bench-inference-secret-0123")) {
			controlPlane.sendJson("POST", "/api/v1/models", "{\"name\":\"small\"}");
			controlPlane.sendJson("POST", "/api/v1/models", "{\"name\":\"heavy\"}");
			controlPlane.upload("small", Files.readAllBytes(small));
			controlPlane.upload("heavy", Files.readAllBytes(heavy));
			for (String model : List.of("small", "heavy")) {
				deploy(controlPlane, model, model + "-batched", 32, QUEUE_DELAY_MICROS);
				deploy(controlPlane, model, model + "-unbatched", 1, 0);
			}
			TestRedis redis = TestRedis.get();
			try (ConfigurableApplicationContext instance = new SpringApplicationBuilder(
					InferenceServiceApplication.class)
				// Measures the model path as a gateway's call sees it, with no token
				// check:
				// CallerCheckBenchmark measures the check's cost apart.
				.run("--server.port=0", "--servinglayer.inference.callers.require-token=false",
						"--servinglayer.inference.control-plane=" + controlPlane.url(),
						"--servinglayer.inference.client-id=bench-inference",
						"--servinglayer.inference.client-secret=bench-inference-secret-0123",
						"--servinglayer.inference.state-directory=" + dir.resolve("state"),
						"--servinglayer.inference.redis-uri=redis://" + redis.host() + ":" + redis.port(),
						"--servinglayer.inference.routing-channel=" + controlPlane.redisPrefix() + "routing",
						"--servinglayer.inference.announcement.key-prefix=" + controlPlane.redisPrefix(),
						"--logging.level.root=WARN")) {
				String base = "http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port");
				awaitReady(base);
				if (DEPLOYMENTS.isEmpty() || DEPLOYMENTS.contains("ceiling")) {
					ceiling(base, rows, smallBaseline);
				}
				for (String model : List.of("small", "heavy")) {
					double reference = model.equals("small") ? smallBaseline : heavyBaseline;
					int width = model.equals("small") ? 30 : 512;
					for (int connections : CONNECTIONS) {
						for (String deployment : List.of(model + "-batched", model + "-unbatched")) {
							if (!DEPLOYMENTS.isEmpty() && !DEPLOYMENTS.contains(deployment)) {
								continue;
							}
							http(base, deployment, width, connections, rows, reference, false);
						}
					}
				}
				// The binary extension where JSON parsing weighs: the heavy model's 512
				// floats.
				for (int connections : CONNECTIONS) {
					for (String deployment : List.of("heavy-batched", "heavy-unbatched")) {
						if (!DEPLOYMENTS.isEmpty() && !DEPLOYMENTS.contains(deployment + "-binary")) {
							continue;
						}
						http(base, deployment, 512, connections, rows, heavyBaseline, true);
					}
				}
			}
		}
		System.out.println();
		rows.forEach(System.out::println);
	}

	static void deploy(ControlPlaneProcess controlPlane, String model, String name, int batch, int delayMicros) {
		HttpResponse<String> response = controlPlane.sendJson("PUT", "/api/v1/deployments/" + name,
				"{\"model\": \"" + model
						+ "\", \"stableVersion\": 1, \"timeoutMs\": 10000, \"batching\": {\"maxBatchSize\": " + batch
						+ ", \"maxQueueDelayMicros\": " + delayMicros + "}}");
		if (response.statusCode() != 201) {
			throw new IllegalStateException("could not deploy " + name + ": " + response.body());
		}
	}

	/**
	 * Raw ONNX Runtime on 2 threads with a fresh input tensor per call; rows per second.
	 */
	private static double baseline(Path model, int width, int batch, List<String> rows, String label, double reference)
			throws Exception {
		OrtEnvironment environment = OrtEnvironment.getEnvironment();
		try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
			options.setIntraOpNumThreads(1);
			try (OrtSession session = environment.createSession(model.toString(), options)) {
				Histogram latencies = new Histogram(3_600_000_000L, 3);
				AtomicLong calls = new AtomicLong();
				run(2, SECONDS, (random) -> {
					float[] data = new float[width * batch];
					for (int i = 0; i < data.length; i++) {
						data[i] = (float) random.nextGaussian();
					}
					long start = System.nanoTime();
					try (OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(data),
							new long[] { batch, width });
							OrtSession.Result result = session.run(Map.of("input", input))) {
						result.get(0);
					}
					record(latencies, start);
					calls.incrementAndGet();
				});
				double rowsPerSecond = calls.get() * batch / (double) SECONDS;
				rows.add(row(label, rowsPerSecond, latencies, (reference > 0) ? rowsPerSecond / reference : 1.0));
				return rowsPerSecond;
			}
		}
	}

	/**
	 * Drives the instance with Debian's {@code wrk} (closed loop, 2 threads, keep-alive),
	 * the same batch-1 body on every call: a warm-up, then the measured run.
	 */
	private static void http(String base, String deployment, int width, int connections, List<String> rows,
			double reference, boolean binary) throws Exception {
		Random random = new Random(width);
		float[] values = new float[width];
		for (int i = 0; i < width; i++) {
			values[i] = (float) random.nextGaussian();
		}
		Path script = Files.createTempFile("wrk", ".lua");
		if (binary) {
			// The protocol's binary extension: the JSON part, then the floats
			// little-endian,
			// each byte written as a Lua decimal escape.
			String header = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1," + width
					+ "],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":" + (4 * width) + "}}]}";
			java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(4 * width).order(java.nio.ByteOrder.LITTLE_ENDIAN);
			for (float value : values) {
				raw.putFloat(value);
			}
			StringBuilder escaped = new StringBuilder();
			for (byte b : raw.array()) {
				escaped.append('\\').append(b & 0xff);
			}
			Files.writeString(script,
					"wrk.method = \"POST\"\nwrk.body = '" + header + "' .. \"" + escaped + "\"\n"
							+ "wrk.headers[\"Content-Type\"] = \"application/octet-stream\"\n"
							+ "wrk.headers[\"Inference-Header-Content-Length\"] = \"" + header.length() + "\"\n");
		}
		else {
			StringBuilder body = new StringBuilder("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,").append(width)
				.append("],\"datatype\":\"FP32\",\"data\":[");
			for (int i = 0; i < width; i++) {
				body.append((i > 0) ? "," : "").append(String.format(Locale.ROOT, "%.4f", values[i]));
			}
			body.append("]}]}");
			Files.writeString(script, "wrk.method = \"POST\"\nwrk.body = '" + body + "'\n"
					+ "wrk.headers[\"Content-Type\"] = \"application/json\"\n");
		}
		String url = base + "/v2/models/" + deployment + "/infer";
		// Long enough for the JIT to finish with the hot path: a serving JVM runs warm.
		wrk(script, url, connections, WARMUP_SECONDS);
		String output = wrk(script, url, connections, SECONDS);
		double requests = number(output, "Requests/sec:\\s+([0-9.]+)");
		double non2xx = output.contains("Non-2xx") ? number(output, "Non-2xx or 3xx responses:\\s+([0-9]+)") : 0;
		String label = deployment + " over HTTP, " + connections + " connections, batch-1 requests"
				+ (binary ? ", binary extension" : "") + ((non2xx > 0) ? " (" + (long) non2xx + " non-2xx)" : "");
		rows.add(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | n/a | %.2f | %.2f |", label, requests,
				millis(output, "50%"), millis(output, "99%"), max(output), requests / reference));
	}

	/**
	 * What the web stack alone serves on this machine: {@code GET /v2} (server metadata,
	 * no model, no body to read) at 32 connections, as a ceiling for any model call.
	 */
	private static void ceiling(String base, List<String> rows, double reference) throws Exception {
		Path script = Files.createTempFile("wrk", ".lua");
		Files.writeString(script, "wrk.method = \"GET\"\n");
		wrk(script, base + "/v2", 32, WARMUP_SECONDS);
		String output = wrk(script, base + "/v2", 32, SECONDS);
		double requests = number(output, "Requests/sec:\\s+([0-9.]+)");
		rows.add(String.format(Locale.ROOT,
				"| Spring MVC's ceiling: GET /v2 (no model), 32 connections | %.0f | %.2f | %.2f | n/a | %.2f | %.2f |",
				requests, millis(output, "50%"), millis(output, "99%"), max(output), requests / reference));
	}

	static String wrk(Path script, String url, int connections, int seconds) throws Exception {
		Process process = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency",
				"--timeout", "10s", "-s", script.toString(), url)
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes());
		if (process.waitFor() != 0) {
			throw new IllegalStateException("wrk failed: " + output);
		}
		return output;
	}

	static double number(String output, String pattern) {
		java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(pattern).matcher(output);
		if (!matcher.find()) {
			throw new IllegalStateException("no match for " + pattern + " in " + output);
		}
		return Double.parseDouble(matcher.group(1));
	}

	/**
	 * A latency wrk prints (such as {@code 1.23ms}, {@code 850.00us}, {@code 1.20s}), in
	 * milliseconds.
	 */
	static double millis(String output, String percentile) {
		java.util.regex.Matcher matcher = java.util.regex.Pattern
			.compile("\\s" + java.util.regex.Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)")
			.matcher(output);
		if (!matcher.find()) {
			throw new IllegalStateException("no " + percentile + " in " + output);
		}
		return toMillis(Double.parseDouble(matcher.group(1)), matcher.group(2));
	}

	static double max(String output) {
		java.util.regex.Matcher matcher = java.util.regex.Pattern
			.compile("Latency\\s+[0-9.]+\\w+\\s+[0-9.]+\\w+\\s+([0-9.]+)(us|ms|s)")
			.matcher(output);
		return matcher.find() ? toMillis(Double.parseDouble(matcher.group(1)), matcher.group(2)) : Double.NaN;
	}

	private static double toMillis(double value, String unit) {
		return switch (unit) {
			case "us" -> value / 1000;
			case "s" -> value * 1000;
			default -> value;
		};
	}

	private interface Call {

		void run(Random random) throws Exception;

	}

	/**
	 * Runs {@code threads} closed loops: 2 s of warm-up, then {@code seconds} measured.
	 */
	private static void run(int threads, int seconds, Call call) throws InterruptedException {
		long warmEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
		long end = warmEnd + Duration.ofSeconds(seconds).toNanos();
		CountDownLatch done = new CountDownLatch(threads);
		for (int t = 0; t < threads; t++) {
			int seed = t;
			Thread thread = new Thread(() -> {
				Random random = new Random(seed);
				try {
					while (System.nanoTime() < end) {
						MEASURING.set(System.nanoTime() >= warmEnd);
						call.run(random);
					}
				}
				catch (Exception ex) {
					ex.printStackTrace();
				}
				finally {
					done.countDown();
				}
			});
			thread.start();
		}
		done.await();
	}

	private static final ThreadLocal<Boolean> MEASURING = ThreadLocal.withInitial(() -> true);

	private static void record(Histogram histogram, long start) {
		if (MEASURING.get()) {
			synchronized (histogram) {
				histogram.recordValue(System.nanoTime() - start);
			}
		}
	}

	private static String row(String label, double rowsPerSecond, Histogram latencies, double ratio) {
		return String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f |", label, rowsPerSecond,
				latencies.getValueAtPercentile(50) / 1e6, latencies.getValueAtPercentile(99) / 1e6,
				latencies.getValueAtPercentile(99.9) / 1e6, latencies.getMaxValue() / 1e6, ratio);
	}

	static void awaitReady(String base) throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		for (int i = 0; i < 300; i++) {
			HttpResponse<String> response = client.send(
					HttpRequest.newBuilder(URI.create(base + "/v2/health/ready")).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 200) {
				return;
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("the instance did not become ready");
	}

}
