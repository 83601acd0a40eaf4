package io.servinglayer.inferenceservice.predict;

import java.util.List;

import io.servinglayer.inferenceservice.protocol.CallersMistake;

/**
 * The view's policy refuses an entity's online row (missing or stale): 422, listing each
 * refused instance.
 */
public class FeatureRowException extends RuntimeException implements CallersMistake {

	private final String type;

	private final List<Refusal> refusals;

	FeatureRowException(String type, List<Refusal> refusals) {
		super(refusals.get(0).field() + ": " + refusals.get(0).message()
				+ ((refusals.size() > 1) ? " (and " + (refusals.size() - 1) + " more)" : ""));
		this.type = type;
		this.refusals = List.copyOf(refusals);
	}

	/** {@code feature-row-missing} or {@code feature-row-stale}. */
	public String type() {
		return this.type;
	}

	public List<Refusal> refusals() {
		return this.refusals;
	}

	/** One refused instance: where it is, and why. */
	public record Refusal(String field, String message) {
	}

}
