package io.servinglayer.controlplane.registry;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.TestModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@ControlPlaneIntegrationTest
@TestPropertySource(properties = "servinglayer.control-plane.artifacts.max-size=1MB")
class ModelVersionsIntegrationTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AdminApi api;

	byte[] fraudModel;

	@BeforeEach
	void setUp() throws Exception {
		this.fraudModel = Files.readAllBytes(TestModels.fraudClassifier());
	}

	@Test
	void uploadsAVersionAndKeepsItsDigestSizeSignatureAndMetadata() throws Exception {
		createModel("fraud");

		Response created = this.api.upload("fraud", this.fraudModel,
				"{\"label\":\"2026-11-28\",\"description\":\"first\",\"labels\":{\"git\":\"abc123\"},\"trainingMetrics\":{\"auc\":0.91}}");

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.header("Location")).isEqualTo("/api/v1/models/fraud/versions/1");
		JsonNode version = created.json();
		assertThat(version.path("model").asString()).isEqualTo("fraud");
		assertThat(version.path("version").asInt()).isEqualTo(1);
		assertThat(version.path("digest").asString()).isEqualTo(sha256(this.fraudModel));
		assertThat(version.path("sizeBytes").asLong()).isEqualTo(this.fraudModel.length);
		assertThat(version.path("label").asString()).isEqualTo("2026-11-28");
		assertThat(version.path("labels").path("git").asString()).isEqualTo("abc123");
		assertThat(version.path("trainingMetrics").path("auc").asDouble()).isEqualTo(0.91);
		assertThat(version.path("createdBy").asString()).isEqualTo(ControlPlaneIntegrationTest.ADMIN_CLIENT);
		JsonNode input = version.path("signature").path("inputs").get(0);
		assertThat(input.path("name").asString()).isEqualTo("input");
		assertThat(input.path("datatype").asString()).isEqualTo("FP32");
		assertThat(input.path("shape").toString()).isEqualTo("[-1,3]");
		JsonNode output = version.path("signature").path("outputs").get(0);
		assertThat(output.path("name").asString()).isEqualTo("output");
		assertThat(output.path("shape").toString()).isEqualTo("[-1,2]");

		Response read = this.api.get("/api/v1/models/fraud/versions/1");
		assertThat(read.json()).isEqualTo(version);
		assertThat(this.api.get("/api/v1/models/fraud").json().path("latestVersion").asInt()).isEqualTo(1);
	}

	@Test
	void streamsTheArtifactBackByteForByteWithTheDigestAsETag() throws Exception {
		createModel("download");
		String digest = this.api.upload("download", this.fraudModel, null).json().path("digest").asString();

		Response artifact = this.api.get("/api/v1/models/download/versions/1/artifact");
		assertThat(artifact.status()).isEqualTo(200);
		assertThat(artifact.bytes()).isEqualTo(this.fraudModel);
		assertThat(artifact.header("ETag")).isEqualTo("\"" + digest + "\"");
		assertThat(artifact.header("Content-Type")).isEqualTo("application/octet-stream");

		Response notModified = this.api.get("/api/v1/models/download/versions/1/artifact", "If-None-Match",
				"\"" + digest + "\"");
		assertThat(notModified.status()).isEqualTo(304);
		assertThat(notModified.bytes()).isEmpty();
		Response otherTag = this.api.get("/api/v1/models/download/versions/1/artifact", "If-None-Match", "\"other\"");
		assertThat(otherTag.status()).isEqualTo(200);
	}

	@Test
	void storesAnArtifactOnceHoweverManyVersionsShareIt() {
		createModel("shared");
		this.api.upload("shared", this.fraudModel, null);
		this.api.upload("shared", this.fraudModel, null);

		assertThat(this.jdbc.sql("SELECT count(*) FROM artifact WHERE digest = ?")
			.param(sha256(this.fraudModel))
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(this.api.get("/api/v1/models/shared/versions").json().path("items").size()).isEqualTo(2);
	}

	@Test
	void givesConcurrentUploadsToOneModelDistinctConsecutiveNumbers() throws Exception {
		createModel("busy");
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<Response>> uploads = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				Callable<Response> upload = () -> this.api.upload("busy", this.fraudModel, null);
				uploads.add(pool.submit(upload));
			}
			List<Integer> numbers = new ArrayList<>();
			for (Future<Response> upload : uploads) {
				Response response = upload.get(60, TimeUnit.SECONDS);
				assertThat(response.status()).as(response.toString()).isEqualTo(201);
				numbers.add(response.json().path("version").asInt());
			}
			assertThat(numbers).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.api.get("/api/v1/models/busy").json().path("latestVersion").asInt()).isEqualTo(8);
	}

	@Test
	void refusesATruncatedModelWithOnnxRuntimesReasonAndLeavesNothingBehind() {
		createModel("broken");
		byte[] truncated = java.util.Arrays.copyOf(this.fraudModel, this.fraudModel.length / 3);
		long artifactsBefore = count("artifact");

		Response response = this.api.upload("broken", truncated, null);

		assertThat(response.status()).as(response.toString()).isEqualTo(422);
		assertThat(response.problemType()).isEqualTo("invalid-onnx-model");
		assertThat(response.json().path("detail").asString()).contains("ONNX Runtime")
			.doesNotContain("/tmp")
			.doesNotContain("artifact-");
		assertThat(count("artifact")).isEqualTo(artifactsBefore);
		assertThat(this.jdbc.sql("SELECT count(*) FROM artifact WHERE digest = ?")
			.param(sha256(truncated))
			.query(Long.class)
			.single()).isZero();
		assertThat(this.api.get("/api/v1/models/broken").json().path("latestVersion").asInt()).isZero();
		assertThat(this.api.get("/api/v1/models/broken/versions/1").status()).isEqualTo(404);
	}

	@Test
	void refusesAFileThatIsNotAnOnnxModel() {
		createModel("text");
		Response response = this.api.upload("text", "this is not a model".getBytes(), null);

		assertThat(response.status()).isEqualTo(422);
		assertThat(response.problemType()).isEqualTo("invalid-onnx-model");
		assertThat(this.api.get("/api/v1/models/text/versions").json().path("items").size()).isZero();
	}

	@Test
	void refusesAnUploadThatIsNotMultipartOrLacksTheArtifact() {
		createModel("wrongtype");
		Response json = this.api.postJson("/api/v1/models/wrongtype/versions", "{\"artifact\":\"...\"}");
		assertThat(json.status()).isEqualTo(415);
		assertThat(json.header("Content-Type")).startsWith("application/problem+json");

		Response noArtifact = this.api.upload("wrongtype", null, "{\"label\":\"x\"}");
		assertThat(noArtifact.status()).isEqualTo(400);
		assertThat(noArtifact.json().path("detail").asString()).contains("artifact");
		assertThat(this.api.get("/api/v1/models/wrongtype").json().path("latestVersion").asInt()).isZero();
	}

	@Test
	void refusesAnUploadWithTwoArtifactPartsNamingTheArtifact() {
		createModel("twice");
		String boundary = "----servinglayer-test-twice";
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (int i = 0; i < 2; i++) {
			body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"artifact\"; filename=\"m" + i
					+ ".onnx\"\r\nContent-Type: application/octet-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			body.writeBytes(this.fraudModel);
			body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));

		Response response = this.api.send(this.api.request("/api/v1/models/twice/versions")
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));

		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().path("detail").asString()).contains("artifact").contains("once");
		assertThat(this.api.get("/api/v1/models/twice").json().path("latestVersion").asInt()).isZero();
	}

	@Test
	void refusesAnUploadOverTheSizeLimitWith413() {
		createModel("huge");
		byte[] tooBig = new byte[1536 * 1024];
		new Random(1).nextBytes(tooBig);
		long artifactsBefore = count("artifact");

		Response response = this.api.upload("huge", tooBig, null);

		assertThat(response.status()).as(response.toString()).isEqualTo(413);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(count("artifact")).isEqualTo(artifactsBefore);

		// Over the whole request limit, the declared length alone is enough to refuse it
		// unread.
		byte[] wayTooBig = new byte[3 * 1024 * 1024];
		Response refusedUnread = this.api.upload("huge", wayTooBig, null, "Idempotency-Key", "huge-1");
		assertThat(refusedUnread.status()).isEqualTo(413);
		assertThat(refusedUnread.problemType()).isEqualTo("payload-too-large");
		assertThat(this.api.get("/api/v1/models/huge").json().path("latestVersion").asInt()).isZero();
	}

	@Test
	void refusesADuplicateVersionLabelAndKeepsTheNumberFree() {
		createModel("labelled");
		assertThat(this.api.upload("labelled", this.fraudModel, "{\"label\":\"v1\"}").status()).isEqualTo(201);

		Response duplicate = this.api.upload("labelled", this.fraudModel, "{\"label\":\"v1\"}");

		assertThat(duplicate.status()).isEqualTo(409);
		assertThat(duplicate.problemType()).isEqualTo("duplicate-version-label");
		assertThat(this.api.upload("labelled", this.fraudModel, "{\"label\":\"v2\"}").json().path("version").asInt())
			.isEqualTo(2);
	}

	@Test
	void refusesBadMetadataNamingTheField() {
		createModel("metadata");
		Response malformed = this.api.upload("metadata", this.fraudModel, "{not json");
		assertThat(malformed.status()).isEqualTo(422);
		assertThat(malformed.json().path("errors").get(0).path("field").asString()).isEqualTo("metadata");

		Response badLabel = this.api.upload("metadata", this.fraudModel, "{\"label\":\"has space\"}");
		assertThat(badLabel.status()).isEqualTo(422);
		assertThat(badLabel.json().path("errors").get(0).path("field").asString()).isEqualTo("metadata.label");
		assertThat(this.api.get("/api/v1/models/metadata").json().path("latestVersion").asInt()).isZero();
	}

	@Test
	void answersAnUploadToAnUnknownModelOrAnUnknownVersionWith404() {
		Response upload = this.api.upload("ghost", this.fraudModel, null);
		assertThat(upload.status()).isEqualTo(404);
		assertThat(upload.problemType()).isEqualTo("model-not-found");

		createModel("real");
		Response version = this.api.get("/api/v1/models/real/versions/7");
		assertThat(version.status()).isEqualTo(404);
		assertThat(version.problemType()).isEqualTo("model-version-not-found");
		assertThat(this.api.get("/api/v1/models/real/versions/seven").status()).isEqualTo(400);
	}

	@Test
	void archivedVersionsStayReadableButLeaveTheDefaultListing() {
		createModel("aging");
		this.api.upload("aging", this.fraudModel, null);
		this.api.upload("aging", this.fraudModel, null);

		Response archived = this.api.post("/api/v1/models/aging/versions/1:archive");

		assertThat(archived.status()).as(archived.toString()).isEqualTo(200);
		assertThat(archived.json().path("archived").asBoolean()).isTrue();
		assertThat(this.api.get("/api/v1/models/aging/versions/1").json().path("archived").asBoolean()).isTrue();
		assertThat(this.api.get("/api/v1/models/aging/versions").json().path("items").size()).isEqualTo(1);
		assertThat(this.api.get("/api/v1/models/aging/versions?includeArchived=true").json().path("items").size())
			.isEqualTo(2);
	}

	@Test
	void acceptsAFeatureBindingThatMatchesTheViewAndTheSignature() {
		createModel("bound");
		createFeatureView("card_features", "FP32");

		Response created = this.api.upload("bound", this.fraudModel, """
				{"featureBinding": {"featureView": {"name": "card_features", "version": 1},
				 "requestFeatures": [{"name": "amount", "dtype": "FP32"}],
				 "inputs": {"input": ["account_age_days", "amount", "txn_count_24h"]}}}""");

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.json().path("featureBinding").path("inputs").path("input").toString())
			.isEqualTo("[\"account_age_days\",\"amount\",\"txn_count_24h\"]");
	}

	@Test
	void rejectsABindingWhoseNamesOrDtypesDisagreeListingEveryMismatch() {
		createModel("mismatched");
		createFeatureView("int_features", "INT64");

		Response response = this.api.upload("mismatched", this.fraudModel, """
				{"featureBinding": {"featureView": {"name": "int_features", "version": 1},
				 "inputs": {"input": ["account_age_days", "amount", "txn_count_24h"], "extra": ["amount"]}}}""");

		assertThat(response.status()).as(response.toString()).isEqualTo(422);
		assertThat(response.problemType()).isEqualTo("feature-binding-mismatch");
		List<String> fields = new ArrayList<>();
		response.json().path("errors").forEach((error) -> fields.add(error.path("field").asString()));
		assertThat(fields).containsExactlyInAnyOrder("featureBinding.inputs.input[0]", "featureBinding.inputs.input[1]",
				"featureBinding.inputs.input[2]", "featureBinding.inputs.extra");
		assertThat(response.body()).contains("feature 'account_age_days' is INT64 but input 'input' is FP32")
			.contains("'amount' is neither a feature of feature view 'int_features' version 1 nor a request feature")
			.contains("the model has no input 'extra'");
		assertThat(this.api.get("/api/v1/models/mismatched").json().path("latestVersion").asInt()).isZero();

		Response missingView = this.api.upload("mismatched", this.fraudModel, """
				{"featureBinding": {"featureView": {"name": "nope", "version": 3},
				 "inputs": {"input": ["a", "b", "c"]}}}""");
		assertThat(missingView.status()).isEqualTo(422);
		assertThat(missingView.body()).contains("feature view 'nope' version 3 does not exist");
	}

	@Test
	void storesATrainingBaselineWithTheVersionAndServesItResolvedToInputColumns() {
		createModel("drifting");
		createFeatureView("drift_features", "FP32");

		Response created = this.api.upload("drifting", this.fraudModel, """
				{"featureBinding": {"featureView": {"name": "drift_features", "version": 1},
				 "requestFeatures": [{"name": "amount", "dtype": "FP32"}],
				 "inputs": {"input": ["account_age_days", "amount", "txn_count_24h"]}},
				 "baseline": {"features": {
				   "amount": {"edges": [-1, 0, 1], "proportions": [0.16, 0.34, 0.34, 0.16]},
				   "txn_count_24h": {"edges": [0.5], "proportions": [0.7, 0.3]}}}}""");

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		Response baseline = this.api.get("/api/v1/models/drifting/versions/1/baseline");
		assertThat(baseline.status()).as(baseline.toString()).isEqualTo(200);
		assertThat(baseline.json().path("model").asString()).isEqualTo("drifting");
		assertThat(baseline.json().path("version").asInt()).isEqualTo(1);
		JsonNode features = baseline.json().path("features");
		assertThat(features.size()).isEqualTo(2);
		assertThat(features.get(0).path("name").asString()).isEqualTo("amount");
		assertThat(features.get(0).path("input").asString()).isEqualTo("input");
		assertThat(features.get(0).path("column").asInt()).isEqualTo(1);
		assertThat(features.get(0).path("edges").toString()).isEqualTo("[-1.0,0.0,1.0]");
		assertThat(features.get(0).path("proportions").toString()).isEqualTo("[0.16,0.34,0.34,0.16]");
		assertThat(features.get(1).path("name").asString()).isEqualTo("txn_count_24h");
		assertThat(features.get(1).path("column").asInt()).isEqualTo(2);
	}

	@Test
	void answersTheBaselineOfAVersionRegisteredWithoutOneWith404() {
		createModel("plain");
		this.api.upload("plain", this.fraudModel, null);

		Response none = this.api.get("/api/v1/models/plain/versions/1/baseline");
		assertThat(none.status()).isEqualTo(404);
		assertThat(none.problemType()).isEqualTo("baseline-not-found");
		assertThat(this.api.get("/api/v1/models/plain/versions/2/baseline").problemType())
			.isEqualTo("model-version-not-found");
	}

	@Test
	void refusesAnInvalidBaselineNamingEveryBadFieldAndStoresNothing() {
		createModel("skewed");
		long baselines = count("model_version_baseline");

		Response refused = this.api.upload("skewed", this.fraudModel, """
				{"baseline": {"features": {
				   "input[0]": {"edges": [0, 0], "proportions": [0.5, 0.25, 0.25]},
				   "input[1]": {"edges": [0], "proportions": [0.5, 0.6]},
				   "input[7]": {"edges": [0], "proportions": [0.5, 0.5]},
				   "amount": {"edges": [0], "proportions": [0.5, 0.5]}}}}""");

		assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
		assertThat(refused.problemType()).isEqualTo("invalid-baseline");
		List<String> fields = new ArrayList<>();
		refused.json().path("errors").forEach((error) -> fields.add(error.path("field").asString()));
		assertThat(fields).containsExactlyInAnyOrder("metadata.baseline.features.input[0].edges[1]",
				"metadata.baseline.features.input[1].proportions", "metadata.baseline.features.input[7]",
				"metadata.baseline.features.amount");
		assertThat(refused.body()).contains("edges must be strictly increasing")
			.contains("must sum to 1")
			.contains("input 'input' has 3 columns");
		assertThat(this.api.get("/api/v1/models/skewed").json().path("latestVersion").asInt()).isZero();
		assertThat(count("model_version_baseline")).isEqualTo(baselines);

		Response mistyped = this.api.upload("skewed", this.fraudModel,
				"{\"baseline\": {\"features\": {\"input[0]\": {\"edges\": \"low\"}}}}");
		assertThat(mistyped.status()).as(mistyped.toString()).isEqualTo(422);
		assertThat(mistyped.json().path("errors").get(0).path("field").asString()).startsWith("metadata");
	}

	private void createModel(String name) {
		Response response = this.api.postJson("/api/v1/models", "{\"name\":\"" + name + "\"}");
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
	}

	private void createFeatureView(String name, String dtype) {
		Response response = this.api.postJson("/api/v1/feature-views", """
				{"name": "%s", "version": 1, "entityKeys": ["card_id"], "maxAgeSeconds": 600,
				 "features": [{"name": "account_age_days", "dtype": "%s"}, {"name": "txn_count_24h", "dtype": "%s"}]}"""
			.formatted(name, dtype, dtype));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
	}

	private long count(String table) {
		return this.jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
