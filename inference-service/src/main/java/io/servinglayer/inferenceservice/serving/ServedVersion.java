package io.servinglayer.inferenceservice.serving;

import io.servinglayer.inferenceservice.batching.DynamicBatcher;
import io.servinglayer.inferenceservice.runtime.LoadedModel;

/** A warm model version and the batcher in front of it. */
public record ServedVersion(String deployment, int version, String digest, LoadedModel model, DynamicBatcher batcher,
		int timeoutMs) {

	/** Lets queued requests finish, then frees the session. */
	public void unload(long drainMillis) {
		this.batcher.close(drainMillis);
		this.model.close();
	}

}
