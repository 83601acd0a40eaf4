package io.servinglayer.controlplane.artifact;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Content-addressed storage of model artifacts: an artifact is named by the SHA-256 of
 * its bytes, stored once however many versions share it, and never changed. PostgreSQL is
 * the default store; a filesystem or object store can implement the same contract.
 */
public interface ArtifactStore {

	/**
	 * Stores the spooled artifact under its digest, within the caller's transaction,
	 * unless an artifact with that digest is already stored.
	 */
	void store(SpooledArtifact artifact);

	/** The stored artifact with this digest, if any. */
	Optional<StoredArtifact> find(String digest);

	/**
	 * Writes the artifact's bytes to {@code out} without holding the whole artifact in
	 * memory.
	 */
	void copyTo(String digest, OutputStream out) throws IOException;

	/** An artifact in the store. */
	record StoredArtifact(String digest, long sizeBytes) {
	}

}
