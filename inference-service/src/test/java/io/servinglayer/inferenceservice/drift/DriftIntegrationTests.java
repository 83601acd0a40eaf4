package io.servinglayer.inferenceservice.drift;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.servinglayer.inferenceservice.InstanceCalls;
import io.servinglayer.samplemodels.SyntheticClassifier;
import io.servinglayer.testsupport.ControlPlaneProcess;
import io.servinglayer.testsupport.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Input drift on a real instance against the real control plane: the demo classifier is
 * registered twice with its training baseline (versions 1 and 2) and once without one
 * (version 3), all three served; version 1 is called with inputs drawn like the training
 * data, version 2 with inputs shifted well away from it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DriftIntegrationTests {

	private static final String INSTANCE_SECRET = "inference-secret-0123456789";

	private static ControlPlaneProcess controlPlane;

	@Autowired
	Environment environment;

	private final Random random = new Random(11);

	@DynamicPropertySource
	static void followTheControlPlane(DynamicPropertyRegistry registry) throws Exception {
		Path models = Files.createTempDirectory("drift-models");
		byte[] model = Files.readAllBytes(SyntheticClassifier.fraud().writeOnnx(models.resolve("fraud.onnx")));
		// The model is not bound to features, so its baseline names input columns.
		Map<String, SyntheticClassifier.Histogram> byColumn = new LinkedHashMap<>();
		SyntheticClassifier.fraud()
			.trainingBaseline(10)
			.forEach((feature, histogram) -> byColumn
				.put("input[" + SyntheticClassifier.fraud().columns().indexOf(feature) + "]", histogram));
		String metadata = "{\"baseline\": " + SyntheticClassifier.baselineJson(byColumn) + "}";
		controlPlane = ControlPlaneProcess.start("inference-1", INSTANCE_SECRET);
		controlPlane.sendJson("POST", "/api/v1/models", "{\"name\":\"fraud\"}");
		for (String versionMetadata : new String[] { metadata, metadata, null }) {
			HttpResponse<String> uploaded = controlPlane.upload("fraud", model, versionMetadata);
			assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
		}
		assertThat(controlPlane.sendJson("PUT", "/api/v1/deployments/fraud", """
				{"model": "fraud", "stableVersion": 1, "canary": {"version": 2, "weightBasisPoints": 0},
				 "shadow": {"version": 3, "percent": 0}}""").statusCode()).isEqualTo(201);
		registry.add("servinglayer.inference.control-plane", () -> controlPlane.url().toString());
		registry.add("servinglayer.inference.client-id", () -> "inference-1");
		registry.add("servinglayer.inference.client-secret", () -> INSTANCE_SECRET);
		registry.add("servinglayer.inference.state-directory", () -> models.resolve("state").toString());
		registry.add("servinglayer.inference.redis-uri",
				() -> "redis://" + TestRedis.get().host() + ":" + TestRedis.get().port());
		registry.add("servinglayer.inference.routing-channel", () -> controlPlane.redisPrefix() + "routing");
		registry.add("servinglayer.inference.announcement.key-prefix", controlPlane::redisPrefix);
	}

	@Test
	void exportsLowDriftForInputsLikeTheBaselineHighDriftForShiftedOnesAndNoGaugeWithoutABaseline() throws Exception {
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> calls().get("/actuator/health/readiness").statusCode() == 200);
		String before = calls().get("/actuator/prometheus").body();
		assertThat(psi(before, "1", "input[1]")).as("no values served yet").isNaN();

		for (int request = 0; request < 25; request++) {
			infer(1, 0);
			infer(2, 3);
			infer(3, 3);
		}

		String metrics = calls().get("/actuator/prometheus").body();
		for (int column = 0; column < 3; column++) {
			String feature = "input[" + column + "]";
			assertThat(psi(metrics, "1", feature)).as("version 1, " + feature).isLessThan(0.1);
			assertThat(psi(metrics, "2", feature)).as("version 2, " + feature)
				.isGreaterThan(PopulationStability.SIGNIFICANT);
		}
		assertThat(metrics).as("version 3 has no baseline")
			.doesNotContain("inference_input_drift_psi{feature=\"input[0]\",model=\"fraud\",model_version=\"3\"}")
			.contains("inference_requests_seconds_count{model=\"fraud\",model_version=\"3\",outcome=\"SUCCESS\"}");
	}

	/** Eight rows, each column normal around {@code mean} like the training data. */
	private void infer(int version, double mean) throws Exception {
		StringBuilder data = new StringBuilder();
		for (int i = 0; i < 8 * 3; i++) {
			data.append((i > 0) ? "," : "").append((float) (mean + this.random.nextGaussian()));
		}
		HttpResponse<String> answer = calls().post("/v2/models/fraud/versions/" + version + "/infer",
				"{\"inputs\": [{\"name\": \"input\", \"shape\": [8, 3], \"datatype\": \"FP32\", \"data\": [" + data
						+ "]}]}");
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
	}

	private static double psi(String metrics, String version, String feature) {
		Matcher line = Pattern
			.compile("(?m)^inference_input_drift_psi\\{feature=\"" + Pattern.quote(feature)
					+ "\",model=\"fraud\",model_version=\"" + version + "\"} (\\S+)$")
			.matcher(metrics);
		assertThat(line.find()).as("a drift gauge of version " + version + ", " + feature + " in\n" + metrics).isTrue();
		return Double.parseDouble(line.group(1));
	}

	private InstanceCalls calls() {
		return InstanceCalls.at(this.environment);
	}

}
