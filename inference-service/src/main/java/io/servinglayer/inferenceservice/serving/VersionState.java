package io.servinglayer.inferenceservice.serving;

/** Where a model version assigned to this instance stands. */
public enum VersionState {

	/** Being downloaded, verified, opened or warmed up; not serving yet. */
	LOADING,

	/** Warm and serving. */
	READY,

	/**
	 * Download, digest check, opening or warm-up failed; never serves, retried with
	 * backoff.
	 */
	FAILED

}
