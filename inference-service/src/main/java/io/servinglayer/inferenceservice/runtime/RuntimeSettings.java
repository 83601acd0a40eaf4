package io.servinglayer.inferenceservice.runtime;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How ONNX Runtime sessions are opened.
 *
 * @param intraOpThreads threads one operator may use; 1 leaves the cores to concurrent
 * requests
 * @param interOpThreads threads for running independent operators in parallel
 * @param optimizationLevel graph optimisation: NO_OPT, BASIC_OPT, EXTENDED_OPT or ALL_OPT
 * @param memoryArena whether the CPU memory arena is used (faster, keeps peak memory
 * allocated)
 */
@ConfigurationProperties("servinglayer.inference.runtime")
public record RuntimeSettings(@DefaultValue("1") int intraOpThreads, @DefaultValue("1") int interOpThreads,
		@DefaultValue("ALL_OPT") OptLevel optimizationLevel, @DefaultValue("true") boolean memoryArena) {

	public RuntimeSettings {
		if (intraOpThreads < 1 || interOpThreads < 1) {
			throw new IllegalArgumentException(
					"servinglayer.inference.runtime.intra-op-threads and inter-op-threads must " + "be at least 1, got "
							+ intraOpThreads + " and " + interOpThreads);
		}
	}

	public static RuntimeSettings defaults() {
		return new RuntimeSettings(1, 1, OptLevel.ALL_OPT, true);
	}

}
