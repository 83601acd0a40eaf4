package io.servinglayer.inferenceservice.serving;

import io.servinglayer.inferenceservice.batching.DynamicBatcher;
import io.servinglayer.inferenceservice.features.FeatureBinding;
import io.servinglayer.inferenceservice.runtime.LoadedModel;

/**
 * A warm model version, the batcher in front of it, how its inputs are filled from named
 * features ({@code binding}, {@code null} when it has none), and its meters.
 */
public record ServedVersion(String deployment, int version, String digest, LoadedModel model, DynamicBatcher batcher,
		int timeoutMs, FeatureBinding binding, VersionMetrics metrics) {

	/**
	 * Lets queued requests finish, then frees the session, never while a call still runs
	 * in it (that would crash the JVM): a session whose calls do not return is left open
	 * rather than closed.
	 */
	public void unload(long drainMillis) {
		if (this.batcher.close(drainMillis)) {
			this.model.close();
		}
		this.metrics.remove();
	}

}
