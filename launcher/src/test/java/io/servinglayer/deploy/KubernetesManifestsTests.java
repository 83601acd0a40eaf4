package io.servinglayer.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.servinglayer.deploy.KubernetesManifests.Manifest;
import io.servinglayer.deploy.KubernetesManifests.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Kubernetes manifests of {@code deploy/kubernetes}, checked file by file without a
 * cluster: each parses into the Kubernetes API model (fabric8) with no field it does not
 * know, the kustomizations list files that exist and leave none out, and the rules below
 * hold for every container, Service, budget, autoscaler and network policy. Overlays are
 * not rendered here: their patches are checked as patches (fields, settings, Secrets).
 */
class KubernetesManifestsTests {

	/** Our services' containers, by name, and the Maven module each runs. */
	private static final Map<String, String> SERVICES = Map.of("control-plane", "control-plane", "inference",
			"inference-service", "gateway", "gateway");

	/**
	 * Environment variables a service container may carry that are not settings:
	 * {@code JAVA_TOOL_OPTIONS} for the JVM; others only when another variable of the
	 * container uses them as {@code $(NAME)}.
	 */
	private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

	private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Z0-9_]+)\\)");

	static List<Manifest> manifests() {
		return KubernetesManifests.all();
	}

	static List<Workload> containers() {
		List<Workload> workloads = new ArrayList<>();
		for (Manifest manifest : KubernetesManifests.deployments()) {
			Deployment deployment = (Deployment) manifest.object();
			for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
				workloads.add(new Workload(manifest, deployment, container));
			}
		}
		return workloads;
	}

	static List<Workload> serviceContainers() {
		return containers().stream()
			.filter((workload) -> SERVICES.containsKey(workload.container().getName()))
			.toList();
	}

	/** Containers of our services, in resources and in patches alike. */
	static List<Workload> serviceContainersAndPatches() {
		List<Workload> workloads = new ArrayList<>();
		for (Manifest manifest : KubernetesManifests.all()) {
			if (manifest.object() instanceof Deployment deployment && deployment.getSpec() != null
					&& deployment.getSpec().getTemplate() != null) {
				for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
					if (SERVICES.containsKey(container.getName())) {
						workloads.add(new Workload(manifest, deployment, container));
					}
				}
			}
		}
		return workloads;
	}

	@Test
	void eachKustomizationListsFilesThatExistAndEveryFileOfItsFolder() {
		for (String folder : KubernetesManifests.KUSTOMIZATIONS) {
			Map<String, Object> kustomization = KubernetesManifests.kustomization(folder);
			assertThat(kustomization).as(folder).containsEntry("apiVersion", "kustomize.config.k8s.io/v1beta1");
			Set<Path> listed = new HashSet<>();
			for (String resource : KubernetesManifests.strings(kustomization.get("resources"))) {
				Path path = KubernetesManifests.folder(folder).resolve(resource).normalize();
				assertThat(Files.isRegularFile(path) || Files.isRegularFile(path.resolve("kustomization.yaml")))
					.as("%s/kustomization.yaml lists %s: no such file, nor a folder with a kustomization", folder,
							resource)
					.isTrue();
				listed.add(path);
			}
			for (Path patch : KubernetesManifests.patches(folder)) {
				assertThat(patch).as("%s/kustomization.yaml lists a patch", folder).isRegularFile();
				listed.add(patch);
			}
			for (Path file : DeployFolder.files("kubernetes/" + folder, ".yaml", ".yml")) {
				if (file.getParent().equals(KubernetesManifests.folder(folder))
						&& !file.getFileName().toString().equals("kustomization.yaml")) {
					assertThat(listed).as("%s is in no list of %s/kustomization.yaml", DeployFolder.name(file), folder)
						.contains(file);
				}
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("manifests")
	void everyManifestParsesIntoTheKubernetesModelWithNoUnknownField(Manifest manifest) {
		assertThat(manifest.object().getMetadata().getName()).as("metadata.name").isNotBlank();
		assertThat(KubernetesManifests.unknownFields(manifest.object(), manifest.kindAndName()))
			.as("fields the Kubernetes API model does not know (misspelt, or in the wrong place)")
			.isEmpty();
	}

	@Test
	void jsonPatchesAreListsOfOperationsOnAPath() {
		for (String folder : KubernetesManifests.KUSTOMIZATIONS) {
			for (Path patch : KubernetesManifests.patches(folder)) {
				if (KubernetesManifests.isJsonPatch(patch)) {
					for (Object operation : KubernetesManifests.list(DeployFolder.yamlDocuments(patch).get(0))) {
						assertThat(operation).as(DeployFolder.name(patch)).isInstanceOf(Map.class);
						Map<?, ?> fields = (Map<?, ?>) operation;
						assertThat(fields.get("op")).as(DeployFolder.name(patch))
							.isIn("add", "remove", "replace", "move", "copy", "test");
						assertThat(String.valueOf(fields.get("path"))).as(DeployFolder.name(patch)).startsWith("/");
					}
				}
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("containers")
	void everyContainerIsProbedForReadinessAndLivenessOnAPortItDeclares(Workload workload) {
		Container container = workload.container();
		assertThat(container.getReadinessProbe()).as("readinessProbe").isNotNull();
		assertThat(container.getLivenessProbe()).as("livenessProbe").isNotNull();
		for (Probe probe : Stream
			.of(container.getReadinessProbe(), container.getLivenessProbe(), container.getStartupProbe())
			.filter(Objects::nonNull)
			.toList()) {
			IntOrString port = (probe.getHttpGet() != null) ? probe.getHttpGet().getPort()
					: (probe.getTcpSocket() != null) ? probe.getTcpSocket().getPort() : null;
			if (port == null) {
				assertThat(probe.getExec()).as("a probe with neither a port nor a command").isNotNull();
				continue;
			}
			assertThat(containerPort(container, port)).as("the port %s a probe checks", port.getValue()).isNotNull();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("serviceContainers")
	void servicesAreProbedOnTheActuatorsHealthGroupsWhereTheActuatorListens(Workload workload) {
		Container container = workload.container();
		assertThat(container.getStartupProbe()).as("startupProbe").isNotNull();
		assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
		assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
		assertThat(container.getStartupProbe().getHttpGet().getPath()).startsWith("/actuator/health/");
		// The actuator listens on the management port where one is set (the gateway),
		// else on the server's port.
		Map<String, String> env = values(container);
		String actuatorPort = env.getOrDefault("MANAGEMENT_SERVER_PORT", env.get("SERVER_PORT"));
		assertThat(actuatorPort).as("SERVER_PORT or MANAGEMENT_SERVER_PORT, stated in the manifest").isNotNull();
		for (Probe probe : List.of(container.getStartupProbe(), container.getReadinessProbe(),
				container.getLivenessProbe())) {
			ContainerPort port = containerPort(container, probe.getHttpGet().getPort());
			assertThat(port.getContainerPort()).as("the probed port").hasToString(actuatorPort);
		}
		assertThat(env).as("listens on the pod's address, not loopback (the default)")
			.containsEntry("SERVER_ADDRESS", "0.0.0.0");
		if (env.containsKey("MANAGEMENT_SERVER_PORT")) {
			assertThat(env).as("the actuator listens on the pod's address, not loopback (the default)")
				.containsEntry("MANAGEMENT_SERVER_ADDRESS", "0.0.0.0");
		}
		assertThat(container.getPorts()).extracting(ContainerPort::getContainerPort)
			.contains(Integer.valueOf(env.get("SERVER_PORT")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("containers")
	void everyContainerHasRequestsAndLimitsOfCpuAndMemory(Workload workload) {
		var resources = workload.container().getResources();
		assertThat(resources).as("resources").isNotNull();
		Map<String, Quantity> requests = resources.getRequests();
		Map<String, Quantity> limits = resources.getLimits();
		assertThat(requests).as("resources.requests").containsKeys("cpu", "memory");
		assertThat(limits).as("resources.limits").containsKeys("cpu", "memory");
		for (String resource : List.of("cpu", "memory")) {
			assertThat(Quantity.getAmountInBytes(requests.get(resource)))
				.as("%s request is at most its limit", resource)
				.isLessThanOrEqualTo(Quantity.getAmountInBytes(limits.get(resource)));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("containers")
	void everyContainerRunsAsNonRootOnAReadOnlyRootFilesystem(Workload workload) {
		PodSpec pod = workload.deployment().getSpec().getTemplate().getSpec();
		SecurityContext container = workload.container().getSecurityContext();
		assertThat(container).as("the container's securityContext").isNotNull();
		PodSecurityContext podContext = pod.getSecurityContext();
		Boolean nonRoot = (container.getRunAsNonRoot() != null) ? container.getRunAsNonRoot()
				: (podContext != null) ? podContext.getRunAsNonRoot() : null;
		assertThat(nonRoot).as("runAsNonRoot").isTrue();
		assertThat(container.getReadOnlyRootFilesystem()).as("readOnlyRootFilesystem").isTrue();
		assertThat(container.getAllowPrivilegeEscalation()).as("allowPrivilegeEscalation").isFalse();
		assertThat(container.getCapabilities().getDrop()).as("capabilities dropped").contains("ALL");
		Set<String> volumes = new HashSet<>();
		pod.getVolumes().forEach((volume) -> volumes.add(volume.getName()));
		for (VolumeMount mount : workload.container().getVolumeMounts()) {
			assertThat(volumes).as("the volume mounted at %s", mount.getMountPath()).contains(mount.getName());
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("serviceContainers")
	void stateFoldersAndSecretFilesAreOnVolumesAndTmpIsWritable(Workload workload) {
		Container container = workload.container();
		Map<String, Volume> volumes = new LinkedHashMap<>();
		workload.deployment()
			.getSpec()
			.getTemplate()
			.getSpec()
			.getVolumes()
			.forEach((v) -> volumes.put(v.getName(), v));
		assertThat(volumeAt(container, volumes, "/tmp")).as("a volume on /tmp (java.io.tmpdir)")
			.matches((volume) -> volume.getEmptyDir() != null, "is an emptyDir");
		List<String> folders = new ArrayList<>();
		values(container).forEach((name, value) -> {
			if (name.endsWith("STATEDIRECTORY")) {
				folders.add(value);
				assertThat(volumeAt(container, volumes, value)).as("the volume under %s=%s", name, value)
					.matches((volume) -> volume.getEmptyDir() != null, "is an emptyDir");
			}
			else if (name.endsWith("FILE") || name.endsWith("KEYSTORE")) {
				assertThat(volumeAt(container, volumes, value)).as("the volume under %s=%s", name, value)
					.matches((volume) -> volume.getSecret() != null, "is a Secret");
			}
		});
		assertThat(folders).as("a state directory, set explicitly").isNotEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("serviceContainersAndPatches")
	void everyEnvironmentVariableOfAServiceIsOneOfItsSettings(Workload workload) {
		ServiceSettings settings = ServiceSettings.of(SERVICES.get(workload.container().getName()));
		Set<String> referenced = new HashSet<>();
		for (EnvVar variable : workload.container().getEnv()) {
			if (variable.getValue() != null) {
				Matcher reference = REFERENCE.matcher(variable.getValue());
				while (reference.find()) {
					referenced.add(reference.group(1));
				}
			}
		}
		for (EnvVar variable : workload.container().getEnv()) {
			String name = variable.getName();
			if (JVM_VARIABLES.contains(name) || referenced.contains(name)) {
				continue;
			}
			assertThat(settings.accepts(name))
				.as("%s is no setting of %s (no @ConfigurationProperties record component, application.yaml key "
						+ "or Spring Boot property maps to it)", name, settings)
				.isTrue();
		}
	}

	@Test
	void instancesAnnounceTheirPodAddressAndPort() {
		Workload inference = serviceContainers().stream()
			.filter((workload) -> workload.container().getName().equals("inference"))
			.findFirst()
			.orElseThrow();
		Map<String, String> env = values(inference.container());
		assertThat(env.get("SERVINGLAYER_INFERENCE_ANNOUNCEMENT_BASEURL"))
			.isEqualTo("http://$(POD_IP):" + env.get("SERVER_PORT"));
		EnvVar podIp = inference.container()
			.getEnv()
			.stream()
			.filter((variable) -> variable.getName().equals("POD_IP"))
			.findFirst()
			.orElseThrow();
		assertThat(podIp.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
		List<String> names = inference.container().getEnv().stream().map(EnvVar::getName).toList();
		assertThat(names.indexOf("POD_IP")).as("POD_IP is defined before it is used")
			.isLessThan(names.indexOf("SERVINGLAYER_INFERENCE_ANNOUNCEMENT_BASEURL"));
	}

	@Test
	void servicesAndBudgetsSelectPodsOfADeploymentAndPortsTheyDeclare() {
		List<Deployment> deployments = KubernetesManifests.deployments()
			.stream()
			.map((manifest) -> (Deployment) manifest.object())
			.toList();
		for (Manifest manifest : KubernetesManifests.resources()) {
			if (manifest.object() instanceof Service service) {
				Deployment target = selected(deployments, service.getSpec().getSelector(), manifest);
				for (ServicePort port : service.getSpec().getPorts()) {
					assertThat(target.getSpec()
						.getTemplate()
						.getSpec()
						.getContainers()
						.stream()
						.anyMatch((container) -> containerPort(container, port.getTargetPort()) != null))
						.as("%s: targetPort %s is a port of %s", manifest, port.getTargetPort().getValue(),
								target.getMetadata().getName())
						.isTrue();
				}
			}
			if (manifest.object() instanceof PodDisruptionBudget budget) {
				selected(deployments, budget.getSpec().getSelector().getMatchLabels(), manifest);
			}
			if (manifest.object() instanceof HorizontalPodAutoscaler autoscaler) {
				var target = autoscaler.getSpec().getScaleTargetRef();
				assertThat(target.getKind()).as(manifest.toString()).isEqualTo("Deployment");
				assertThat(deployments).as("%s scales a Deployment of these manifests", manifest)
					.anyMatch((deployment) -> deployment.getMetadata().getName().equals(target.getName()));
				assertThat(autoscaler.getSpec().getMinReplicas()).as("%s minReplicas", manifest)
					.isGreaterThanOrEqualTo(2);
			}
		}
	}

	@Test
	void onlyGatewaysReachTheInstancesPortAndPrometheusOnlyFromItsNamespace() {
		List<Deployment> deployments = KubernetesManifests.deployments()
			.stream()
			.map((manifest) -> (Deployment) manifest.object())
			.toList();
		Deployment inference = deployments.stream()
			.filter((deployment) -> deployment.getMetadata().getName().equals("inference"))
			.findFirst()
			.orElseThrow();
		int port = inference.getSpec()
			.getTemplate()
			.getSpec()
			.getContainers()
			.get(0)
			.getPorts()
			.get(0)
			.getContainerPort();
		List<NetworkPolicy> policies = KubernetesManifests.resources()
			.stream()
			.filter((manifest) -> manifest.object() instanceof NetworkPolicy)
			.map((manifest) -> (NetworkPolicy) manifest.object())
			.filter((policy) -> selects(policy.getSpec().getPodSelector(), inference))
			.toList();
		assertThat(policies).as("network policies over the instances").isNotEmpty();
		Set<String> peers = new LinkedHashSet<>();
		for (NetworkPolicy policy : policies) {
			assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress");
			for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
				assertThat(rule.getPorts()).extracting(NetworkPolicyPort::getPort)
					.extracting(IntOrString::getValue)
					.containsExactly(port);
				for (NetworkPolicyPeer peer : rule.getFrom()) {
					if (peer.getPodSelector() != null) {
						assertThat(peer.getNamespaceSelector()).isNull();
						List<String> from = deployments.stream()
							.filter((deployment) -> selects(peer.getPodSelector(), deployment))
							.map((deployment) -> deployment.getMetadata().getName())
							.toList();
						assertThat(from).as("pods let in by %s", policy.getMetadata().getName())
							.containsExactly("gateway");
						peers.add("pods " + from);
					}
					else {
						assertThat(peer.getNamespaceSelector().getMatchLabels())
							.as("the one namespace let in (Prometheus scrapes the instances' port)")
							.isEqualTo(Map.of("kubernetes.io/metadata.name", "monitoring"));
						peers.add("namespace monitoring");
					}
				}
			}
		}
		assertThat(peers).containsExactlyInAnyOrder("pods [gateway]", "namespace monitoring");
	}

	@Test
	void everySecretAndConfigMapReferencedIsNamedInTheReadme() {
		String readme = DeployFolder.read(DeployFolder.deploy("README.md"));
		Map<String, String> referenced = new LinkedHashMap<>();
		for (Manifest manifest : KubernetesManifests.all()) {
			if (manifest.object() instanceof io.fabric8.kubernetes.api.model.ConfigMap configMap) {
				referenced.put(configMap.getMetadata().getName(), manifest.toString());
			}
			if (!(manifest.object() instanceof Deployment deployment) || deployment.getSpec() == null
					|| deployment.getSpec().getTemplate() == null) {
				continue;
			}
			PodSpec pod = deployment.getSpec().getTemplate().getSpec();
			for (Container container : pod.getContainers()) {
				for (EnvVar variable : container.getEnv()) {
					if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
						referenced.put(variable.getValueFrom().getSecretKeyRef().getName(), manifest.toString());
					}
					if (variable.getValueFrom() != null && variable.getValueFrom().getConfigMapKeyRef() != null) {
						referenced.put(variable.getValueFrom().getConfigMapKeyRef().getName(), manifest.toString());
					}
				}
				for (EnvFromSource source : container.getEnvFrom()) {
					if (source.getSecretRef() != null) {
						referenced.put(source.getSecretRef().getName(), manifest.toString());
					}
					if (source.getConfigMapRef() != null) {
						referenced.put(source.getConfigMapRef().getName(), manifest.toString());
					}
				}
			}
			for (Volume volume : pod.getVolumes()) {
				if (volume.getSecret() != null) {
					referenced.put(volume.getSecret().getSecretName(), manifest.toString());
				}
				if (volume.getConfigMap() != null) {
					referenced.put(volume.getConfigMap().getName(), manifest.toString());
				}
			}
		}
		assertThat(referenced).as("Secrets and ConfigMaps the manifests use").isNotEmpty();
		referenced
			.forEach((name, where) -> assertThat(readme).as("deploy/README.md names %s, which %s uses", name, where)
				.containsPattern("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])"));
	}

	private static Map<String, String> values(Container container) {
		Map<String, String> values = new LinkedHashMap<>();
		for (EnvVar variable : container.getEnv()) {
			if (variable.getValue() != null) {
				values.put(variable.getName(), variable.getValue());
			}
		}
		return values;
	}

	/** The container's port a probe or Service names, by name or number; null if none. */
	private static ContainerPort containerPort(Container container, IntOrString port) {
		Predicate<ContainerPort> matches = (port.getValue() instanceof Integer number)
				? (declared) -> number.equals(declared.getContainerPort())
				: (declared) -> String.valueOf(port.getValue()).equals(declared.getName());
		return container.getPorts().stream().filter(matches).findFirst().orElse(null);
	}

	/** The volume mounted at the longest mount path that holds {@code path}. */
	private static Volume volumeAt(Container container, Map<String, Volume> volumes, String path) {
		VolumeMount best = null;
		for (VolumeMount mount : container.getVolumeMounts()) {
			String at = mount.getMountPath().endsWith("/") ? mount.getMountPath() : mount.getMountPath() + "/";
			if ((path + "/").startsWith(at)
					&& (best == null || mount.getMountPath().length() > best.getMountPath().length())) {
				best = mount;
			}
		}
		if (best == null) {
			fail("No volume is mounted over " + path + " in container " + container.getName());
		}
		return volumes.get(best.getName());
	}

	private static Deployment selected(List<Deployment> deployments, Map<String, String> selector, Manifest manifest) {
		assertThat(selector).as("%s selects pods by labels", manifest).isNotEmpty();
		List<Deployment> matching = deployments.stream()
			.filter((deployment) -> deployment.getSpec()
				.getTemplate()
				.getMetadata()
				.getLabels()
				.entrySet()
				.containsAll(selector.entrySet()))
			.toList();
		assertThat(matching).as("%s selects the pods of exactly one Deployment", manifest).hasSize(1);
		Deployment deployment = matching.get(0);
		assertThat(deployment.getSpec().getSelector().getMatchLabels().entrySet())
			.as("%s selects what the Deployment %s selects", manifest, deployment.getMetadata().getName())
			.containsAll(selector.entrySet());
		return deployment;
	}

	private static boolean selects(LabelSelector selector, Deployment deployment) {
		return deployment.getSpec()
			.getTemplate()
			.getMetadata()
			.getLabels()
			.entrySet()
			.containsAll(selector.getMatchLabels().entrySet());
	}

	/** One container of a Deployment, named for the test report. */
	record Workload(Manifest manifest, Deployment deployment, Container container) {

		@Override
		public String toString() {
			return DeployFolder.name(this.manifest.file()) + (this.manifest.role() == Role.PATCH ? " (patch) " : " ")
					+ this.manifest.kindAndName() + " container " + this.container.getName();
		}

	}

}
