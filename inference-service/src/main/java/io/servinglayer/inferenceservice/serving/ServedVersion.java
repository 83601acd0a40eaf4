package io.servinglayer.inferenceservice.serving;

import io.servinglayer.inferenceservice.batching.DynamicBatcher;
import io.servinglayer.inferenceservice.drift.InputDrift;
import io.servinglayer.inferenceservice.features.FeatureBinding;
import io.servinglayer.inferenceservice.runtime.LoadedModel;

/**
 * A warm model version, the batcher in front of it, how its inputs are filled from named
 * features ({@code binding}, {@code null} when it has none), its meters, and its input
 * drift against its training baseline ({@code drift}, {@code null} when it has no
 * baseline).
 */
public record ServedVersion(String deployment, int version, String digest, LoadedModel model, DynamicBatcher batcher,
		int timeoutMs, FeatureBinding binding, VersionMetrics metrics, InputDrift drift) {

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
		if (this.drift != null) {
			this.drift.remove();
		}
	}

}
