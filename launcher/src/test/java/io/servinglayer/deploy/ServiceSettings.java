package io.servinglayer.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The settings one service reads, as environment variable names: what an operator may set
 * in a manifest. A name is accepted when Spring Boot's relaxed binding maps it to
 * <ul>
 * <li>a component of one of the service's {@code @ConfigurationProperties} records, read
 * from its sources (nested records, such as a bootstrap client and its rate plan, are
 * followed; a list element is {@code _<n>_});</li>
 * <li>a key of the service's {@code application.yaml};</li>
 * <li>a property in Spring Boot's configuration metadata on this test's classpath
 * ({@code server.*}, {@code management.*}, {@code spring.datasource.*},
 * {@code spring.data.redis.*}, ...): any service may be given those.</li>
 * </ul>
 * The mapping: upper case, {@code .} to {@code _}, {@code -} dropped, so
 * {@code servinglayer.control-plane.signing-keys.key-encryption-key} is
 * {@code SERVINGLAYER_CONTROLPLANE_SIGNINGKEYS_KEYENCRYPTIONKEY}.
 */
final class ServiceSettings {

	private static final Pattern PROPERTIES_RECORD = Pattern
		.compile("@ConfigurationProperties\\((?:prefix\\s*=\\s*)?\"([^\"]+)\"\\)[^;{]*?\\brecord\\s+(\\w+)\\s*\\(");

	private static final Pattern RECORD = Pattern.compile("\\brecord\\s+(\\w+)\\s*\\(");

	private static final Pattern ANNOTATION = Pattern.compile("@[\\w.]+(\\([^()]*\\))?");

	private static final Set<String> COLLECTIONS = Set.of("List", "Set", "Collection");

	private static volatile List<Pattern> springBoot;

	private final String module;

	private final List<Pattern> accepted;

	private ServiceSettings(String module, List<Pattern> accepted) {
		this.module = module;
		this.accepted = accepted;
	}

	/**
	 * The settings of the service whose Maven module is {@code module}
	 * ({@code control-plane}, {@code inference-service}, {@code gateway}).
	 */
	static ServiceSettings of(String module) {
		Path sources = DeployFolder.root().resolve(module).resolve("src/main/java");
		Map<String, List<Component>> records = new HashMap<>();
		Map<String, String> prefixes = new HashMap<>();
		for (Path file : javaFiles(sources)) {
			String text = withoutStrings(DeployFolder.read(file));
			Matcher record = RECORD.matcher(text);
			while (record.find()) {
				records.put(record.group(1), components(text, record.end()));
			}
			Matcher properties = PROPERTIES_RECORD.matcher(DeployFolder.read(file));
			while (properties.find()) {
				prefixes.put(properties.group(1), properties.group(2));
			}
		}
		if (prefixes.isEmpty()) {
			throw new IllegalStateException("No @ConfigurationProperties record found in " + sources);
		}
		List<Pattern> accepted = new ArrayList<>();
		prefixes.forEach(
				(prefix, record) -> addRecord(accepted, Pattern.quote(env(prefix)), records.get(record), records, 0));
		Path applicationYaml = DeployFolder.root().resolve(module).resolve("src/main/resources/application.yaml");
		addYamlKeys(accepted, "", DeployFolder.yamlMap(applicationYaml));
		accepted.addAll(springBoot());
		return new ServiceSettings(module, List.copyOf(accepted));
	}

	/** Whether the service reads a setting of that environment variable name. */
	boolean accepts(String name) {
		return this.accepted.stream().anyMatch((pattern) -> pattern.matcher(name).matches());
	}

	@Override
	public String toString() {
		return this.module;
	}

	/** The environment variable form of a property name or prefix. */
	static String env(String property) {
		return property.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
	}

	/**
	 * Adds the names of a record's components under a prefix, a regular expression.
	 */
	private static void addRecord(List<Pattern> accepted, String prefix, List<Component> components,
			Map<String, List<Component>> records, int depth) {
		if (components == null || depth > 5) {
			return;
		}
		for (Component component : components) {
			String name = prefix + "_" + Pattern.quote(env(kebab(component.name())));
			String type = component.type();
			String element = elementType(type);
			if (element != null && records.containsKey(element)) {
				// A list of records: NAME_<n>_FIELD.
				addRecord(accepted, name + "_\\d+", records.get(element), records, depth + 1);
			}
			else if (element != null) {
				// A list of values: NAME (comma-separated) or NAME_<n>.
				accepted.add(Pattern.compile(name + "(_\\d+)?"));
			}
			else if (type.startsWith("Map<")) {
				accepted.add(Pattern.compile(name + "_[A-Z0-9_]+"));
			}
			else if (records.containsKey(type)) {
				addRecord(accepted, name, records.get(type), records, depth + 1);
			}
			else {
				accepted.add(Pattern.compile(name));
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static void addYamlKeys(List<Pattern> accepted, String prefix, Map<String, Object> yaml) {
		yaml.forEach((key, value) -> {
			if (key.startsWith("[")) {
				// A key with dots of its own ("[gateway.model.requests]") has no
				// environment
				// form.
				return;
			}
			String name = prefix.isEmpty() ? key : prefix + "." + key;
			accepted.add(Pattern.compile(Pattern.quote(env(name))));
			if (value instanceof Map<?, ?> nested) {
				addYamlKeys(accepted, name, (Map<String, Object>) nested);
			}
		});
	}

	/** Every property of Spring Boot's configuration metadata on the classpath. */
	private static List<Pattern> springBoot() {
		List<Pattern> known = springBoot;
		if (known != null) {
			return known;
		}
		List<Pattern> patterns = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		ObjectMapper json = new ObjectMapper();
		try {
			Enumeration<URL> metadata = ServiceSettings.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json");
			while (metadata.hasMoreElements()) {
				try (InputStream in = metadata.nextElement().openStream()) {
					for (JsonNode property : json.readTree(in).path("properties")) {
						String name = property.path("name").asText();
						String type = property.path("type").asText("");
						if (!seen.add(name)) {
							continue;
						}
						boolean nested = type.startsWith("java.util.Map") || type.startsWith("java.util.List")
								|| type.endsWith("[]");
						patterns.add(Pattern.compile(Pattern.quote(env(name)) + (nested ? "(_[A-Z0-9_]+)?" : "")));
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (!seen.contains("server.address") || !seen.contains("spring.datasource.url")) {
			throw new IllegalStateException("Spring Boot's configuration metadata is not on the test classpath "
					+ "(spring-boot-web-server, spring-boot-jdbc, ...): found " + seen.size() + " properties");
		}
		springBoot = List.copyOf(patterns);
		return springBoot;
	}

	private static List<Path> javaFiles(Path sources) {
		try (Stream<Path> walk = Files.walk(sources)) {
			return walk.filter((file) -> file.toString().endsWith(".java")).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The text with every text block, string and character literal emptied and every
	 * comment removed, so that commas, parens and words in them do not count.
	 */
	private static String withoutStrings(String text) {
		return text.replaceAll("\"\"\"[\\s\\S]*?\"\"\"", "\"\"")
			.replaceAll("\"(\\\\.|[^\"\\\\\\n])*\"", "\"\"")
			.replaceAll("'(\\\\.|[^'\\\\])'", "' '")
			.replaceAll("/\\*[\\s\\S]*?\\*/", " ")
			.replaceAll("//[^\\n]*", " ");
	}

	/** The components of a record header whose parameter list starts at {@code start}. */
	private static List<Component> components(String text, int start) {
		int depth = 1;
		int end = start;
		while (depth > 0 && end < text.length()) {
			char c = text.charAt(end++);
			if (c == '(') {
				depth++;
			}
			else if (c == ')') {
				depth--;
			}
		}
		String header = ANNOTATION.matcher(text.substring(start, end - 1)).replaceAll(" ");
		List<Component> components = new ArrayList<>();
		int angle = 0;
		StringBuilder current = new StringBuilder();
		for (char c : (header + ",").toCharArray()) {
			if (c == '<') {
				angle++;
			}
			else if (c == '>') {
				angle--;
			}
			if (c == ',' && angle == 0) {
				String declaration = current.toString().trim().replaceAll("\\s+", " ");
				current.setLength(0);
				int space = declaration.lastIndexOf(' ');
				if (space > 0) {
					components.add(new Component(declaration.substring(0, space).replace(" ", ""),
							declaration.substring(space + 1)));
				}
			}
			else {
				current.append(c);
			}
		}
		return components;
	}

	/** The element type of {@code List<T>}, {@code Set<T>} or {@code T[]}, else null. */
	private static String elementType(String type) {
		int open = type.indexOf('<');
		if (open > 0 && COLLECTIONS.contains(type.substring(0, open)) && type.endsWith(">")) {
			return type.substring(open + 1, type.length() - 1);
		}
		if (type.endsWith("[]")) {
			return type.substring(0, type.length() - 2);
		}
		return null;
	}

	/** {@code keyEncryptionKeyFile} as {@code key-encryption-key-file}. */
	static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	private record Component(String type, String name) {
	}

}
