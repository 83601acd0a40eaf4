package io.servinglayer.controlplane.system;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
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
 * Generated bodies for every admin-API body type: Instancio fills each request record
 * with values drawn from what hostile and careless clients send (empty, huge, negative,
 * NUL and control characters, other scripts, nulls, unknown enum text). Whatever comes,
 * the answer is never a 5xx, and a refused body changes nothing (no audit event, no new
 * routing revision). A failing case prints its body; the seed makes the run repeatable.
 */
@ControlPlaneIntegrationTest
class AdminApiFuzzIntegrationTests {

	/** Bodies per body type; each is one HTTP call against the real control plane. */
	private static final int CASES = 40;

	private static final long SEED = 20261202L;

	private static final String[] STRINGS = { "fraud", "fuzz-model", "", " ", "a".repeat(300), "\u0000", "x\u0000y",
			"\u202e\u0301", "名前", "../../etc/passwd", "%2e%2e", "predict", "predict:fuzz", "admin", "header:X-Key",
			"client", "none", "FP32", "BYTES", "default", "-1", "1e309", "null", "{}", "\t\n" };

	private static final JsonMapper json = JsonMapper.builder().build();

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
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"fuzz\"}").status()).isEqualTo(201);
		assertThat(this.api.upload("fuzz", fraudModel(), null).status()).isEqualTo(201);
		assertThat(this.api
			.postJson("/api/v1/clients", "{\"clientId\":\"fuzz-client\",\"scopes\":[\"predict\"],\"tenant\":\"t\"}")
			.status()).isEqualTo(201);
		prepared = true;
	}

	static Stream<Arguments> bodyTypes() {
		return Stream.of(
				type("create a model", "registry.CreateModelRequest",
						(api, body) -> api.postJson("/api/v1/models", body)),
				type("change a model", "registry.UpdateModelRequest",
						(api, body) -> api.patchJson("/api/v1/models/fuzz", body, "If-Match", "*")),
				type("upload a version with metadata", "registry.VersionMetadata",
						(api, body) -> api.upload("fuzz", fraudModel(), body)),
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
						(api, body) -> api.patchJson("/api/v1/clients/fuzz-client", body, "If-Match", "*")));
	}

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
			.supply(all(String.class), AdminApiFuzzIntegrationTests::hostileString)
			.supply(all(Double.class), AdminApiFuzzIntegrationTests::hostileDouble)
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

	private static byte[] fraudModel() {
		try {
			return Files.readAllBytes(TestModels.fraudClassifier());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
