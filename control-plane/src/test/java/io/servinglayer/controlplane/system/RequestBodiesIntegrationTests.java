package io.servinglayer.controlplane.system;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.TestModels;
import org.instancio.Instancio;
import org.instancio.Random;
import org.instancio.settings.Keys;
import org.instancio.settings.Settings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.instancio.Select.all;

/**
 * Hostile bodies on every admin-API resource that takes one: each is refused with a
 * problem document naming what was wrong, and changes nothing; generated ones are never a
 * server error.
 */
@ControlPlaneIntegrationTest
class RequestBodiesIntegrationTests {

	/**
	 * Generated bodies per body type; each is one HTTP call against the real control
	 * plane.
	 */
	private static final int CASES = 40;

	private static final long SEED = 20261202L;

	/** What hostile and careless clients send in text fields. */
	private static final String[] STRINGS = { "bodies", "fuzz-model", "", " ", "a".repeat(300), "\u0000", "x\u0000y",
			"\u202e\u0301", "名前", "../../etc/passwd", "%2e%2e", "predict", "predict:fuzz", "admin", "header:X-Key",
			"client", "none", "FP32", "BYTES", "default", "-1", "1e309", "null", "{}", "\t\n" };

	private static final JsonMapper json = JsonMapper.builder().build();

	/** The JSON escape of the NUL character, as a client sends it. */
	private static final String NUL = "\\u0000";

	private static boolean prepared;

	@Autowired
	AdminApi api;

	@Autowired
	JdbcClient jdbc;

	@BeforeEach
	void registerWhatTheBodiesReferTo() {
		if (prepared) {
			return;
		}
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"bodies\"}").status()).isEqualTo(201);
		assertThat(this.api.upload("bodies", fraudModel(), null).status()).isEqualTo(201);
		assertThat(this.api
			.postJson("/api/v1/clients", "{\"clientId\":\"bodies-client\",\"scopes\":[\"predict\"],\"tenant\":\"t\"}")
			.status()).isEqualTo(201);
		prepared = true;
	}

	/** A body sent to an endpoint, and the field the refusal must name. */
	static Stream<Arguments> bodiesWithNul() {
		return Stream.of(
				body("a model's description", "description",
						(api) -> api.postJson("/api/v1/models",
								"{\"name\":\"nul-model\",\"description\":\"a" + NUL + "b\"}")),
				body("a model's name", "name", (api) -> api.postJson("/api/v1/models", "{\"name\":\"a" + NUL + "\"}")),
				body("a model's tag value", "tags.team",
						(api) -> api.postJson("/api/v1/models",
								"{\"name\":\"nul-model\",\"tags\":{\"team\":\"x" + NUL + "\"}}")),
				body("a model's tag name", "tags",
						(api) -> api.postJson("/api/v1/models",
								"{\"name\":\"nul-model\",\"tags\":{\"te" + NUL + "am\":\"x\"}}")),
				body("a change to a model's owner", "owner",
						(api) -> api.patchJson("/api/v1/models/bodies", "{\"owner\":\"o" + NUL + "\"}", "If-Match",
								"*")),
				body("a version's label", "metadata.label",
						(api) -> api.upload("bodies", fraudModel(), "{\"label\":\"v" + NUL + "\"}")),
				body("a version's labels", "metadata.labels.stage",
						(api) -> api.upload("bodies", fraudModel(), "{\"labels\":{\"stage\":\"" + NUL + "\"}}")),
				body("a feature view's entity key", "entityKeys[0]", (api) -> api.postJson("/api/v1/feature-views", """
						{"name": "nul-view", "version": 1, "entityKeys": ["id%s"], "maxAgeSeconds": 60,
						 "features": [{"name": "f", "dtype": "FP32"}]}""".formatted(NUL))),
				body("a feature's default value", "features[0].defaultValue",
						(api) -> api.postJson("/api/v1/feature-views",
								"""
										{"name": "nul-view", "version": 1, "entityKeys": ["id"], "maxAgeSeconds": 60,
										 "onMissing": "defaults",
										 "features": [{"name": "f", "dtype": "BYTES", "defaultValue": "x%s"}]}"""
									.formatted(NUL))),
				body("a deployment's pool", "pool",
						(api) -> put(api, "/api/v1/deployments/nul-deployment",
								"{\"model\":\"bodies\",\"pool\":\"p" + NUL + "\",\"stableVersion\":1}")),
				body("a client's tenant", "tenant",
						(api) -> api.postJson("/api/v1/clients",
								"{\"clientId\":\"nul-client\",\"scopes\":[\"predict\"],\"tenant\":\"t" + NUL + "\"}")),
				body("a client's scope", "scopes[0]",
						(api) -> api.postJson("/api/v1/clients",
								"{\"clientId\":\"nul-client\",\"scopes\":[\"predict" + NUL + "\"],\"tenant\":\"t\"}")),
				body("a change to a client's description", "description",
						(api) -> api.patchJson("/api/v1/clients/bodies-client", "{\"description\":\"d" + NUL + "\"}",
								"If-Match", "*")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("bodiesWithNul")
	void aNulCharacterInAnyTextIsRefusedNamingTheFieldAndChangesNothing(String name, String field,
			Function<AdminApi, Response> call) {
		long changesBefore = changes();

		Response response = call.apply(this.api);

		assertThat(response.status()).as(response.toString()).isIn(400, 422);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(fields(response)).as(response.toString()).contains(field);
		assertThat(response.json().path("detail").asString()).contains("NUL");
		assertThat(changes()).as("audit events").isEqualTo(changesBefore);
	}

	/** Every endpoint that reads a JSON body. */
	static Stream<Arguments> jsonEndpoints() {
		return Stream.of(endpoint("create a model", (api, body) -> api.postJson("/api/v1/models", body)),
				endpoint("change a model",
						(api, body) -> api.patchJson("/api/v1/models/bodies", body, "If-Match", "*")),
				endpoint("create a feature view", (api, body) -> api.postJson("/api/v1/feature-views", body)),
				endpoint("put a deployment", (api, body) -> put(api, "/api/v1/deployments/null-deployment", body)),
				endpoint("create a client", (api, body) -> api.postJson("/api/v1/clients", body)),
				endpoint("change a client",
						(api, body) -> api.patchJson("/api/v1/clients/bodies-client", body, "If-Match", "*")),
				endpoint("upload a version's metadata", (api, body) -> api.upload("bodies", fraudModel(), body)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("jsonEndpoints")
	void aNullBodyIsABadRequestNotAFailure(String name, BodySender send) {
		long changesBefore = changes();

		Response response = send.send(this.api, "null");

		assertThat(response.status()).as(response.toString()).isIn(400, 422);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(fields(response)).as(response.toString()).isNotEmpty();
		assertThat(changes()).isEqualTo(changesBefore);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("jsonEndpoints")
	void aBodyOfTheWrongShapeIsABadRequestNamingTheBody(String name, BodySender send) {
		Response response = send.send(this.api, "[1, 2]");

		assertThat(response.status()).as(response.toString()).isIn(400, 422);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(fields(response)).as(response.toString()).isNotEmpty();
	}

	static Stream<Arguments> bodyTypes() {
		return Stream.of(
				type("create a model", "registry.CreateModelRequest",
						(api, body) -> api.postJson("/api/v1/models", body)),
				type("change a model", "registry.UpdateModelRequest",
						(api, body) -> api.patchJson("/api/v1/models/bodies", body, "If-Match", "*")),
				type("upload a version with metadata", "registry.VersionMetadata",
						(api, body) -> api.upload("bodies", fraudModel(), body)),
				type("create a feature view", "featureview.CreateFeatureViewRequest",
						(api, body) -> api.postJson("/api/v1/feature-views", body)),
				type("put a deployment", "deployment.DeploymentSpec",
						(api, body) -> api.send(api.request("/api/v1/deployments/fuzz-deployment")
							.header("Content-Type", "application/json")
							.header("If-Match", "*")
							.PUT(HttpRequest.BodyPublishers.ofString(body)))),
				type("create a client", "client.CreateClientRequest",
						(api, body) -> api.postJson("/api/v1/clients", body)),
				type("change a client", "client.UpdateClientRequest",
						(api, body) -> api.patchJson("/api/v1/clients/bodies-client", body, "If-Match", "*")));
	}

	/**
	 * Generated bodies for every admin-API body type: Instancio fills each request record
	 * with values drawn from {@link #STRINGS}, nulls, huge and negative numbers and
	 * unknown enum text, with a fixed seed. Whatever comes, the answer is never a 5xx,
	 * and a refused body changes nothing (no audit event, no new routing revision). A
	 * failing case names its body.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("bodyTypes")
	void aGeneratedBodyIsNeverAServerErrorAndARefusedOneChangesNothing(String name, Class<?> type,
			BiFunction<AdminApi, String, Response> send) {
		List<String> failures = new ArrayList<>();
		for (Object request : generate(type)) {
			String body = json.writeValueAsString(request);
			long changes = changes();
			long revision = revision();
			Response response = send.apply(this.api, body);
			if (response.status() >= 500) {
				failures.add(response.status() + " for " + body + ": " + response.body());
			}
			else if (response.status() >= 400 && (changes() != changes || revision() != revision)) {
				failures.add(response.status() + " changed something for " + body);
			}
			else if (response.status() >= 400 && !response.header("Content-Type").startsWith("application/problem")) {
				failures.add(response.status() + " without a problem document for " + body);
			}
		}
		assertThat(failures).isEmpty();
	}

	private static List<?> generate(Class<?> type) {
		Settings settings = Settings.create()
			.set(Keys.STRING_NULLABLE, true)
			.set(Keys.INTEGER_NULLABLE, true)
			.set(Keys.LONG_NULLABLE, true)
			.set(Keys.DOUBLE_NULLABLE, true)
			.set(Keys.COLLECTION_NULLABLE, true)
			.set(Keys.COLLECTION_ELEMENTS_NULLABLE, true)
			.set(Keys.MAP_VALUES_NULLABLE, true)
			.set(Keys.COLLECTION_MAX_SIZE, 4)
			.set(Keys.MAP_MAX_SIZE, 3)
			.set(Keys.INTEGER_MIN, -3)
			.set(Keys.INTEGER_MAX, 20_000)
			.set(Keys.LONG_MIN, -5L)
			.set(Keys.LONG_MAX, 10_000_000_000L);
		return Instancio.ofList(type)
			.size(CASES)
			.withSettings(settings)
			.withSeed(SEED)
			.lenient()
			.supply(all(String.class), RequestBodiesIntegrationTests::hostileString)
			.supply(all(Double.class), RequestBodiesIntegrationTests::hostileDouble)
			.set(all(JsonNode.class), null)
			.create();
	}

	private static String hostileString(Random random) {
		return STRINGS[random.intRange(0, STRINGS.length - 1)];
	}

	private static Double hostileDouble(Random random) {
		double[] values = { 0, -1, 0.5, 1, 50, 1e9, Double.MAX_VALUE, -Double.MIN_VALUE };
		return (random.intRange(0, 7) == 0) ? null : values[random.intRange(0, values.length - 1)];
	}

	private long changes() {
		return this.jdbc.sql("SELECT count(*) FROM audit_event WHERE action NOT LIKE 'token.%'")
			.query(Long.class)
			.single();
	}

	private long revision() {
		return this.jdbc.sql("SELECT revision FROM routing_state WHERE id = 1").query(Long.class).single();
	}

	private static Arguments type(String name, String className, BiFunction<AdminApi, String, Response> send) {
		try {
			return Arguments.of(name, Class.forName("io.servinglayer.controlplane." + className), send);
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<String> fields(Response response) {
		List<String> fields = new ArrayList<>();
		response.json().path("errors").forEach((error) -> fields.add(error.path("field").asString()));
		return fields;
	}

	private static Response put(AdminApi api, String path, String body) {
		return api.send(api.request(path)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(body)));
	}

	private static Arguments body(String name, String field, Function<AdminApi, Response> call) {
		return Arguments.of(name, field, call);
	}

	private static Arguments endpoint(String name, BodySender send) {
		return Arguments.of(name, send);
	}

	private static byte[] fraudModel() {
		try {
			return Files.readAllBytes(TestModels.fraudClassifier());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@FunctionalInterface
	interface BodySender {

		Response send(AdminApi api, String body);

	}

}
