package io.servinglayer.deploy;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container images' Dockerfiles and the compose stack, read as files (no Docker
 * engine is needed, and none is used): each image copies a jar the build makes and runs
 * as a numbered non-root user; the compose file builds from those Dockerfiles, gives each
 * service only settings it has, mounts files that exist, and asks only for variables that
 * {@code .env.example} lists.
 */
class ComposeAndImagesTests {

	private static final Pattern VARIABLE = Pattern.compile("(?<!\\$)\\$\\{([A-Z0-9_]+)");

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "control-plane", "inference-service", "gateway" })
	void eachImageCopiesTheModulesRunnableJarInLayersAndRunsAsANumberedUser(String module) {
		Path dockerfile = DeployFolder.deploy("docker/" + module + ".Dockerfile");
		String text = DeployFolder.read(dockerfile);
		assertThat(text).contains("FROM eclipse-temurin:17-jre")
			.contains("COPY " + module + "/target/" + module + "-*-exec.jar application.jar")
			.contains("java -Djarmode=tools -jar application.jar extract --layers --launcher")
			.contains("ENTRYPOINT [\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
		assertThat(text.lines().filter((line) -> line.startsWith("RUN ")))
			.as("nothing is built inside the image: it copies the jar the build made")
			.noneMatch((line) -> line.contains("mvn") || line.contains("gradle"));
		for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
			assertThat(text).contains("COPY --from=layers /layers/extracted/" + layer + "/ ./");
		}
		Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(text);
		assertThat(user.find()).as("USER uid:gid, by number, so runAsNonRoot can check it").isTrue();
		assertThat(Integer.parseInt(user.group(1))).isPositive();
		assertThat(text.indexOf("USER ")).as("USER comes before ENTRYPOINT").isLessThan(text.indexOf("ENTRYPOINT"));
		assertThat(DeployFolder.root().resolve(module).resolve("pom.xml")).isRegularFile();
		assertThat(DeployFolder.read(DeployFolder.root().resolve(module).resolve("pom.xml")))
			.as("the module's runnable jar is classified exec")
			.contains("<classifier>exec</classifier>");
		String ignore = DeployFolder.read(DeployFolder.deploy("docker/" + module + ".Dockerfile.dockerignore"));
		assertThat(ignore).contains("\n*\n").contains("!" + module + "/target/" + module + "-*-exec.jar");
	}

	@Test
	@SuppressWarnings("unchecked")
	void composeBuildsEachServiceFromItsDockerfileAndGivesItOnlyItsSettings() {
		Map<String, Object> services = services();
		assertThat(services).containsKeys("postgres", "redis", "control-plane", "inference-1", "inference-2", "gateway",
				"prometheus", "grafana");
		int built = 0;
		for (Map.Entry<String, Object> service : services.entrySet()) {
			Map<String, Object> fields = (Map<String, Object>) service.getValue();
			if (!(fields.get("build") instanceof Map<?, ?> build)) {
				continue;
			}
			built++;
			Path context = DeployFolder.deploy("compose").resolve(String.valueOf(build.get("context"))).normalize();
			assertThat(context).isEqualTo(DeployFolder.root());
			Path dockerfile = context.resolve(String.valueOf(build.get("dockerfile")));
			assertThat(dockerfile).as("the Dockerfile of %s", service.getKey()).isRegularFile();
			String module = dockerfile.getFileName().toString().replace(".Dockerfile", "");
			ServiceSettings settings = ServiceSettings.of(module);
			Map<String, Object> environment = (Map<String, Object>) fields.get("environment");
			assertThat(environment).as("environment of %s", service.getKey()).isNotEmpty();
			for (String name : environment.keySet()) {
				assertThat(settings.accepts(name))
					.as("%s of the compose service %s is a setting of %s", name, service.getKey(), module)
					.isTrue();
			}
			assertThat(environment).as("%s listens on its container's address", service.getKey())
				.containsEntry("SERVER_ADDRESS", "0.0.0.0");
			assertThat(fields).as("%s runs on a read-only filesystem", service.getKey())
				.containsEntry("read_only", true);
			if (module.equals("inference-service")) {
				assertThat(environment).containsEntry("SERVINGLAYER_INFERENCE_ANNOUNCEMENT_BASEURL",
						"http://" + service.getKey() + ":" + environment.get("SERVER_PORT"));
			}
		}
		assertThat(built).isEqualTo(4);
	}

	@Test
	@SuppressWarnings("unchecked")
	void everyFileComposeMountsExists() {
		for (Map.Entry<String, Object> service : services().entrySet()) {
			Object volumes = ((Map<String, Object>) service.getValue()).get("volumes");
			for (Object volume : KubernetesManifests.list(volumes)) {
				String source = String.valueOf(volume).split(":")[0];
				if (source.startsWith(".")) {
					assertThat(DeployFolder.deploy("compose").resolve(source).normalize())
						.as("%s mounts %s", service.getKey(), source)
						.exists();
				}
			}
		}
	}

	@Test
	void everyVariableComposeNeedsIsInTheEnvExample() {
		Set<String> used = new LinkedHashSet<>();
		Matcher variable = VARIABLE.matcher(DeployFolder.read(DeployFolder.deploy("compose/compose.yaml")));
		while (variable.find()) {
			used.add(variable.group(1));
		}
		assertThat(used).contains("POSTGRES_PASSWORD", "REDIS_PASSWORD", "KEY_ENCRYPTION_KEY");
		Set<String> listed = new LinkedHashSet<>();
		for (String line : DeployFolder.read(DeployFolder.deploy("compose/.env.example")).split("\n")) {
			Matcher assignment = Pattern.compile("^([A-Z0-9_]+)=").matcher(line);
			if (assignment.find()) {
				listed.add(assignment.group(1));
			}
		}
		assertThat(listed).containsAll(used);
		assertThat(DeployFolder.read(DeployFolder.root().resolve(".gitignore"))).as("git ignores the filled-in copy")
			.contains("deploy/compose/.env");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> services() {
		return (Map<String, Object>) DeployFolder.yamlMap(DeployFolder.deploy("compose/compose.yaml")).get("services");
	}

}
