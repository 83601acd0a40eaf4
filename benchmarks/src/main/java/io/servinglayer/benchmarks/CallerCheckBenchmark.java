package io.servinglayer.benchmarks;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

import io.servinglayer.inferenceservice.InferenceServiceApplication;
import io.servinglayer.samplemodels.SyntheticClassifier;
import io.servinglayer.testsupport.ControlPlaneProcess;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What checking the gateway's token costs a model call: two inference instances in this
 * JVM serve the same small model (a linear classifier over 30 features, batching off),
 * one with {@code servinglayer.inference.callers.require-token=false}, one with
 * {@code true}; {@code wrk} sends both the same bytes, a control-plane token with
 * {@code inference:call} included, alternating open, guarded, open, guarded in one run.
 * Prints a Markdown table. Run as {@link ServingBenchmark} is run, with this class.
 */
public final class CallerCheckBenchmark {

	private static final int SECONDS = Integer.getInteger("benchmark.seconds", 8);

	private static final int WARMUP_SECONDS = Integer.getInteger("benchmark.warmup-seconds", 10);

	private static final int CONNECTIONS = Integer.getInteger("benchmark.connections", 32);

	private static final String SECRET = "bench-callers-secret-0123";

	private CallerCheckBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path dir = Files.createTempDirectory("servinglayer-caller-benchmark");
		List<String> features = IntStream.range(0, 30).mapToObj((i) -> String.format("f%02d", i)).toList();
		Path small = SyntheticClassifier.withFeatures(features, 1).writeOnnx(dir.resolve("small.onnx"));
		List<String> rows = new ArrayList<>();
		rows.add("| instance | round | requests/s | p50 ms | p99 ms | max ms | ratio to open, same round |");
		rows.add("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
		try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start("bench-callers", SECRET)) {
			controlPlane.sendJson("POST", "/api/v1/models", "{\"name\":\"small\"}");
			controlPlane.upload("small", Files.readAllBytes(small));
			ServingBenchmark.deploy(controlPlane, "small", "small", 1, 0);
			HttpResponse<String> gateway = controlPlane.sendJson("POST", "/api/v1/clients",
					"{\"clientId\": \"bench-gateway\", \"tenant\": \"ops\", \"scopes\": [\"inference:call\"]}");
			if (gateway.statusCode() != 201) {
				throw new IllegalStateException("could not create the gateway's client: " + gateway.body());
			}
			String token = controlPlane.token("bench-gateway",
					gateway.body().replaceAll(".*\"clientSecret\":\"([^\"]+)\".*", "$1"));
			try (ConfigurableApplicationContext open = instance(controlPlane, dir.resolve("open"), false);
					ConfigurableApplicationContext guarded = instance(controlPlane, dir.resolve("guarded"), true)) {
				String openUrl = url(open);
				String guardedUrl = url(guarded);
				ServingBenchmark.awaitReady(openUrl.replace("/v2/models/small/infer", ""));
				ServingBenchmark.awaitReady(guardedUrl.replace("/v2/models/small/infer", ""));
				Path script = script(token);
				ServingBenchmark.wrk(script, openUrl, CONNECTIONS, WARMUP_SECONDS);
				ServingBenchmark.wrk(script, guardedUrl, CONNECTIONS, WARMUP_SECONDS);
				for (int round = 1; round <= 2; round++) {
					String openRun = ServingBenchmark.wrk(script, openUrl, CONNECTIONS, SECONDS);
					String guardedRun = ServingBenchmark.wrk(script, guardedUrl, CONNECTIONS, SECONDS);
					double reference = ServingBenchmark.number(openRun, "Requests/sec:\\s+([0-9.]+)");
					rows.add(row("require-token=false", round, openRun, reference));
					rows.add(row("require-token=true", round, guardedRun, reference));
				}
			}
		}
		System.out.println();
		rows.forEach(System.out::println);
	}

	private static ConfigurableApplicationContext instance(ControlPlaneProcess controlPlane, Path state,
			boolean requireToken) {
		return new SpringApplicationBuilder(InferenceServiceApplication.class).run("--server.port=0",
				"--servinglayer.inference.control-plane=" + controlPlane.url(),
				"--servinglayer.inference.client-id=bench-callers", "--servinglayer.inference.client-secret=" + SECRET,
				"--servinglayer.inference.state-directory=" + state,
				"--servinglayer.inference.callers.require-token=" + requireToken, "--logging.level.root=WARN");
	}

	private static String url(ConfigurableApplicationContext instance) {
		return "http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port")
				+ "/v2/models/small/infer";
	}

	/** The same batch-1 body and headers, token included, for both instances. */
	private static Path script(String token) throws Exception {
		Random random = new Random(30);
		StringBuilder body = new StringBuilder(
				"{\"inputs\":[{\"name\":\"input\",\"shape\":[1,30]," + "\"datatype\":\"FP32\",\"data\":[");
		for (int i = 0; i < 30; i++) {
			body.append((i > 0) ? "," : "").append(String.format(Locale.ROOT, "%.4f", random.nextGaussian()));
		}
		body.append("]}]}");
		Path script = Files.createTempFile("wrk-callers", ".lua");
		Files.writeString(script,
				"wrk.method = \"POST\"\nwrk.body = '" + body + "'\n"
						+ "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
						+ "wrk.headers[\"Authorization\"] = \"Bearer " + token + "\"\n");
		return script;
	}

	private static String row(String label, int round, String output, double reference) {
		double requests = ServingBenchmark.number(output, "Requests/sec:\\s+([0-9.]+)");
		double non2xx = output.contains("Non-2xx")
				? ServingBenchmark.number(output, "Non-2xx or 3xx responses:\\s+([0-9]+)") : 0;
		return String.format(Locale.ROOT, "| %s%s | %d | %.0f | %.2f | %.2f | %.2f | %.3f |", label,
				(non2xx > 0) ? " (" + (long) non2xx + " non-2xx)" : "", round, requests,
				ServingBenchmark.millis(output, "50%"), ServingBenchmark.millis(output, "99%"),
				ServingBenchmark.max(output), requests / reference);
	}

}
