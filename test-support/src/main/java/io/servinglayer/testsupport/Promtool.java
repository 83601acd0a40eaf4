package io.servinglayer.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's {@code promtool}, for tests that check rule and configuration files. It is
 * taken from the PATH or Debian's {@code prometheus} package; a test that needs it fails
 * when it is missing rather than skipping what it checks.
 */
public final class Promtool {

	private Promtool() {
	}

	/** What one run printed (standard output and error together) and how it ended. */
	public record Result(int exitCode, String output) {
	}

	/** Runs {@code promtool arguments...} in {@code folder}, for at most two minutes. */
	public static Result run(Path folder, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(executable().toString());
		command.addAll(List.of(arguments));
		Path output = Files.createTempFile("promtool", ".out");
		try {
			Process process = new ProcessBuilder(command).directory(folder.toFile())
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			process.getOutputStream().close();
			if (!process.waitFor(120, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new AssertionError("promtool " + String.join(" ", arguments) + " did not finish in 120 s");
			}
			return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private static Path executable() {
		List<Path> candidates = new ArrayList<>();
		String path = System.getenv("PATH");
		if (path != null) {
			for (String folder : path.split(File.pathSeparator)) {
				candidates.add(Path.of(folder, "promtool"));
			}
		}
		candidates.add(Path.of("/usr/bin/promtool"));
		return candidates.stream()
			.filter(Files::isExecutable)
			.findFirst()
			.orElseThrow(() -> new AssertionError("promtool is missing: install the Debian package 'prometheus' "
					+ "(apt-get install -y prometheus; .ci/run does) or put promtool on the PATH"));
	}

}
