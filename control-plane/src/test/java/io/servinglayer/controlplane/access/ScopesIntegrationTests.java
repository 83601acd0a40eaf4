package io.servinglayer.controlplane.access;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.AdminApi.Response;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.testsupport.TestModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each scope opens exactly its endpoints: tokens from the real token endpoint, one client
 * per scope.
 */
@ControlPlaneIntegrationTest
class ScopesIntegrationTests {

	private static final List<String> SCOPES = List.of("registry:read", "registry:write", "deploy", "admin",
			"features:write", "predict", "inference:call", "feedback:write");

	private static final AtomicInteger names = new AtomicInteger();

	private static final Map<String, String> tokens = new ConcurrentHashMap<>();

	@Autowired
	AdminApi api;

	@BeforeEach
	void createOneClientPerScope() {
		if (!tokens.isEmpty()) {
			return;
		}
		for (String scope : SCOPES) {
			String clientId = "scope-" + scope.replace(':', '-');
			Response created = this.api.postJson("/api/v1/clients",
					"{\"clientId\":\"" + clientId + "\",\"scopes\":[\"" + scope + "\"],\"tenant\":\"test\"}");
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			tokens.put(scope, this.api.token(clientId, created.json().path("clientSecret").asString()));
		}
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"scoped\"}").status()).isEqualTo(201);
		assertThat(this.api.postJson("/api/v1/feature-views", """
				{"name": "scoped", "version": 1, "entityKeys": ["id"], "maxAgeSeconds": 60,
				 "features": [{"name": "f", "dtype": "FP32"}]}""").status()).isEqualTo(201);
	}

	/**
	 * An endpoint, and the scopes that open it; every other scope gets 403, no token 401.
	 */
	static Stream<Arguments> endpoints() {
		return Stream.of(
				endpoint("list models", List.of("registry:read", "registry:write", "deploy", "admin"),
						(api, n) -> api.get("/api/v1/models")),
				endpoint("read a model", List.of("registry:read", "registry:write", "deploy", "admin"),
						(api, n) -> api.get("/api/v1/models/scoped")),
				endpoint("register a model", List.of("registry:write", "admin"),
						(api, n) -> api.postJson("/api/v1/models", "{\"name\":\"m-" + n + "\"}")),
				endpoint("change a model", List.of("registry:write", "admin"),
						(api, n) -> api.patchJson("/api/v1/models/scoped", "{\"owner\":\"o-" + n + "\"}", "If-Match",
								"*")),
				endpoint("upload a version", List.of("registry:write", "deploy", "admin"),
						(api, n) -> api.upload("scoped", fraudModel(), null)),
				endpoint("create a feature view", List.of("registry:write", "admin"),
						(api, n) -> api.postJson("/api/v1/feature-views", """
								{"name": "fv-%d", "version": 1, "entityKeys": ["id"], "maxAgeSeconds": 60,
								 "features": [{"name": "f", "dtype": "FP32"}]}""".formatted(n))),
				endpoint("list feature views", List.of("registry:read", "registry:write", "deploy", "admin"),
						(api, n) -> api.get("/api/v1/feature-views")),
				endpoint("write feature rows", List.of("features:write", "registry:write", "admin"),
						(api, n) -> api.postLines("/api/v1/feature-views/scoped/versions/1/rows",
								"{\"id\": \"e-" + n + "\", \"f\": 1.5, \"event_time\": 1}\n")),
				endpoint("read the audit log", List.of("admin"), (api, n) -> api.get("/api/v1/audit")),
				endpoint("list clients", List.of("admin"), (api, n) -> api.get("/api/v1/clients")),
				endpoint("list users", List.of("admin"), (api, n) -> api.get("/api/v1/users")),
				endpoint("who am I", SCOPES, (api, n) -> api.get("/api/v1/users/me")),
				endpoint("a change to who am I", List.of("admin"), (api, n) -> api.post("/api/v1/users/me")),
				endpoint("create a user", List.of("admin"),
						(api, n) -> api.postJson("/api/v1/users",
								"{\"username\":\"u-" + n
										+ "\",\"password\":\"a-good-password\",\"roles\":[\"viewer\"]}")),
				endpoint("create a client", List.of("admin"),
						(api, n) -> api.postJson("/api/v1/clients",
								"{\"clientId\":\"c-" + n + "\",\"scopes\":[\"predict\"],\"tenant\":\"t\"}")),
				endpoint("a change to an unknown path", List.of("admin"), (api, n) -> api.post("/api/v1/nothing")));
	}

	private static Arguments endpoint(String name, List<String> allowed, BiFunction<AdminApi, Integer, Response> call) {
		return Arguments.of(name, allowed, call);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("endpoints")
	void eachScopeOpensExactlyItsEndpoints(String name, List<String> allowed,
			BiFunction<AdminApi, Integer, Response> call) {
		List<String> wrong = new ArrayList<>();
		for (String scope : SCOPES) {
			Response response = call.apply(this.api.as(tokens.get(scope)), names.incrementAndGet());
			boolean opened = response.status() != 401 && response.status() != 403;
			if (opened != allowed.contains(scope)) {
				wrong.add(scope + " got " + response);
			}
			if (response.status() == 403) {
				assertThat(response.header("Content-Type")).startsWith("application/problem+json");
				assertThat(response.problemType()).isEqualTo("insufficient-scope");
				assertThat(response.header("WWW-Authenticate")).contains("insufficient_scope");
			}
		}
		assertThat(wrong).as(name).isEmpty();

		Response anonymous = call.apply(this.api.anonymous(), names.incrementAndGet());
		assertThat(anonymous.status()).as(name + " without a token").isEqualTo(401);
		assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(anonymous.problemType()).isEqualTo("unauthenticated");
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
