package io.servinglayer.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The repository's {@code deploy/} folder and the service sources next to it, as the
 * checks of these tests read them. The tests run in the launcher module; the repository
 * root is the first folder above the working directory that holds {@code mvnw} and
 * {@code deploy/}.
 */
final class DeployFolder {

	private DeployFolder() {
	}

	/** The repository root. */
	static Path root() {
		Path folder = Path.of("").toAbsolutePath();
		while (folder != null) {
			if (Files.isRegularFile(folder.resolve("mvnw")) && Files.isDirectory(folder.resolve("deploy"))) {
				return folder;
			}
			folder = folder.getParent();
		}
		throw new IllegalStateException("No folder holding mvnw and deploy/ above " + Path.of("").toAbsolutePath());
	}

	/** A path under {@code deploy/}. */
	static Path deploy(String relative) {
		return root().resolve("deploy").resolve(relative);
	}

	/**
	 * Every file under a folder of {@code deploy/} whose name ends with one of suffixes.
	 */
	static List<Path> files(String folder, String... suffixes) {
		try (Stream<Path> walk = Files.walk(deploy(folder))) {
			return walk.filter(Files::isRegularFile).filter((file) -> {
				String name = file.getFileName().toString();
				for (String suffix : suffixes) {
					if (name.endsWith(suffix)) {
						return true;
					}
				}
				return false;
			}).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The file's path from the repository root, for messages and test names. */
	static String name(Path file) {
		return root().relativize(file).toString();
	}

	static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Every document of a YAML file, as SnakeYAML loads them (maps, lists, strings),
	 * merge keys ({@code <<: *anchor}) resolved. Empty documents are left out.
	 */
	static List<Object> yamlDocuments(Path file) {
		LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		List<Object> documents = new ArrayList<>();
		for (Object document : new Yaml(options).loadAll(read(file))) {
			if (document != null) {
				documents.add(document);
			}
		}
		return documents;
	}

	/** The one document of a YAML file that holds a map. */
	@SuppressWarnings("unchecked")
	static Map<String, Object> yamlMap(Path file) {
		List<Object> documents = yamlDocuments(file);
		if (documents.size() != 1 || !(documents.get(0) instanceof Map)) {
			throw new IllegalStateException(name(file) + " should hold one YAML map, holds " + documents);
		}
		return (Map<String, Object>) documents.get(0);
	}

}
