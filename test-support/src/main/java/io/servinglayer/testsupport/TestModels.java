package io.servinglayer.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.servinglayer.samplemodels.SyntheticClassifier;

/**
 * ONNX models for tests, trained by the project's own code once per test JVM and kept in
 * a temporary folder that is removed at exit.
 */
public final class TestModels {

	private static final Map<String, Path> models = new ConcurrentHashMap<>();

	private static Path folder;

	private TestModels() {
	}

	/**
	 * The demo fraud classifier: input {@code input} FP32 [-1, 3], output {@code output}
	 * FP32 [-1, 2].
	 */
	public static Path fraudClassifier() {
		return models.computeIfAbsent("fraud",
				(name) -> SyntheticClassifier.fraud().writeOnnx(folder().resolve("fraud.onnx")));
	}

	/** A classifier over the given features, whose ONNX input has that many columns. */
	public static Path classifierWithFeatures(List<String> features) {
		String name = String.join("-", features);
		return models.computeIfAbsent(name,
				(key) -> SyntheticClassifier.withFeatures(features, 7).writeOnnx(folder().resolve(key + ".onnx")));
	}

	private static synchronized Path folder() {
		if (folder == null) {
			try {
				folder = Files.createTempDirectory("servinglayer-test-models");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			Path created = folder;
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try (var files = Files.list(created)) {
					files.forEach((file) -> file.toFile().delete());
				}
				catch (IOException ex) {
					// a temp folder left behind is harmless
				}
				created.toFile().delete();
			}, "test-models-cleanup"));
		}
		return folder;
	}

}
