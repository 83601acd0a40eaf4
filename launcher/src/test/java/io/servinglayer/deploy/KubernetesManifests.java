package io.servinglayer.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Every manifest under {@code deploy/kubernetes}, parsed into the fabric8 Kubernetes
 * model, with what it is for: a resource (listed under a kustomization's
 * {@code resources}, or an example under {@code monitoring/}) or a patch (listed under
 * its {@code patches}).
 */
final class KubernetesManifests {

	/** The kinds these manifests may hold, by {@code apiVersion/kind}. */
	static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("apps/v1/Deployment", Deployment.class,
			"v1/Service", Service.class, "v1/ConfigMap", ConfigMap.class, "v1/Namespace", Namespace.class,
			"policy/v1/PodDisruptionBudget", PodDisruptionBudget.class, "autoscaling/v2/HorizontalPodAutoscaler",
			HorizontalPodAutoscaler.class, "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

	/** The kustomizations, by folder under {@code deploy/kubernetes}. */
	static final List<String> KUSTOMIZATIONS = List.of("base", "overlays/local", "overlays/production");

	/** Examples that no kustomization lists (they belong to another release). */
	static final String EXAMPLES = "monitoring";

	private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

	private KubernetesManifests() {
	}

	/** Every document of every manifest, resources and strategic-merge patches. */
	static List<Manifest> all() {
		List<Manifest> manifests = new ArrayList<>();
		for (String folder : KUSTOMIZATIONS) {
			Map<String, Object> kustomization = kustomization(folder);
			for (String resource : strings(kustomization.get("resources"))) {
				Path path = folder(folder).resolve(resource).normalize();
				if (Files.isRegularFile(path)) {
					manifests.addAll(load(path, Role.RESOURCE));
				}
			}
			for (Path patch : patches(folder)) {
				if (!isJsonPatch(patch)) {
					manifests.addAll(load(patch, Role.PATCH));
				}
			}
		}
		for (Path example : DeployFolder.files("kubernetes/" + EXAMPLES, ".yaml", ".yml")) {
			manifests.addAll(load(example, Role.RESOURCE));
		}
		return manifests;
	}

	/** The complete resources only. */
	static List<Manifest> resources() {
		return all().stream().filter((manifest) -> manifest.role() == Role.RESOURCE).toList();
	}

	/** The Deployments among the resources. */
	static List<Manifest> deployments() {
		return resources().stream().filter((manifest) -> manifest.object() instanceof Deployment).toList();
	}

	static Path folder(String kustomization) {
		return DeployFolder.deploy("kubernetes").resolve(kustomization);
	}

	static Map<String, Object> kustomization(String folder) {
		return DeployFolder.yamlMap(folder(folder).resolve("kustomization.yaml"));
	}

	/** The files a kustomization lists under {@code patches} (and the older fields). */
	@SuppressWarnings("unchecked")
	static List<Path> patches(String folder) {
		Map<String, Object> kustomization = kustomization(folder);
		List<Path> paths = new ArrayList<>();
		for (Object patch : list(kustomization.get("patches"))) {
			Object path = (patch instanceof Map<?, ?> fields) ? ((Map<String, Object>) fields).get("path") : patch;
			if (path != null) {
				paths.add(folder(folder).resolve(path.toString()).normalize());
			}
		}
		for (String field : List.of("patchesStrategicMerge", "patchesJson6902")) {
			for (Object patch : list(kustomization.get(field))) {
				Object path = (patch instanceof Map<?, ?> fields) ? ((Map<String, Object>) fields).get("path") : patch;
				paths.add(folder(folder).resolve(path.toString()).normalize());
			}
		}
		return paths;
	}

	/** Whether the file is a JSON 6902 patch: a YAML list of operations. */
	static boolean isJsonPatch(Path file) {
		List<Object> documents = DeployFolder.yamlDocuments(file);
		return documents.size() == 1 && documents.get(0) instanceof List;
	}

	@SuppressWarnings("unchecked")
	private static List<Manifest> load(Path file, Role role) {
		List<Manifest> manifests = new ArrayList<>();
		List<Object> documents = DeployFolder.yamlDocuments(file);
		for (int i = 0; i < documents.size(); i++) {
			if (!(documents.get(i) instanceof Map)) {
				throw new IllegalStateException(DeployFolder.name(file) + " document " + i + " is not a map");
			}
			Map<String, Object> raw = (Map<String, Object>) documents.get(i);
			manifests.add(new Manifest(file, i, role, raw, parse(file, i, raw)));
		}
		return manifests;
	}

	private static HasMetadata parse(Path file, int index, Map<String, Object> raw) {
		String key = raw.get("apiVersion") + "/" + raw.get("kind");
		Class<? extends HasMetadata> type = KINDS.get(key);
		if (type == null) {
			throw new IllegalStateException(DeployFolder.name(file) + " document " + index + ": " + key
					+ " is none of the kinds these manifests use: " + KINDS.keySet());
		}
		try {
			return YAML.readValue(YAML.writeValueAsString(raw), type);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(DeployFolder.name(file) + " document " + index + " does not parse as "
					+ type.getSimpleName() + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Where the model kept a field it does not know (fabric8 keeps them in
	 * {@code additionalProperties} rather than failing): a misspelt field, or one in the
	 * wrong place, which Kubernetes would refuse or, worse, ignore.
	 */
	static List<String> unknownFields(Object node, String path) {
		List<String> unknown = new ArrayList<>();
		collectUnknown(node, path, unknown);
		return unknown;
	}

	private static void collectUnknown(Object node, String path, List<String> unknown) {
		if (node == null) {
			return;
		}
		if (node instanceof Collection<?> items) {
			int i = 0;
			for (Object item : items) {
				collectUnknown(item, path + "[" + i++ + "]", unknown);
			}
			return;
		}
		if (node instanceof Map<?, ?> entries) {
			entries.forEach((key, value) -> collectUnknown(value, path + "." + key, unknown));
			return;
		}
		if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
			return;
		}
		for (Method getter : node.getClass().getMethods()) {
			if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
					|| !getter.getDeclaringClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
				continue;
			}
			Object value;
			try {
				value = getter.invoke(node);
			}
			catch (IllegalAccessException | InvocationTargetException ex) {
				throw new IllegalStateException(getter.toString(), ex);
			}
			String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
			if (field.equals("additionalProperties")) {
				if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
					unknown.add(path + ": " + extra.keySet());
				}
			}
			else {
				collectUnknown(value, path + "." + field, unknown);
			}
		}
	}

	static List<String> strings(Object value) {
		return list(value).stream().map(String::valueOf).toList();
	}

	static List<Object> list(Object value) {
		if (value == null) {
			return List.of();
		}
		if (!(value instanceof List<?> items)) {
			throw new IllegalStateException("Expected a list, got " + value);
		}
		return new ArrayList<>(items);
	}

	/** What a manifest is for. */
	enum Role {

		/** A complete object, applied as it is (after the overlay's changes). */
		RESOURCE,

		/** A strategic-merge patch: only the fields it changes. */
		PATCH

	}

	/** One YAML document of a manifest file. */
	record Manifest(Path file, int index, Role role, Map<String, Object> raw, HasMetadata object) {

		String kindAndName() {
			return this.object.getKind() + "/" + this.object.getMetadata().getName();
		}

		@Override
		public String toString() {
			return DeployFolder.name(this.file) + " " + kindAndName();
		}

	}

}
