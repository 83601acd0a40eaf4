package io.servinglayer.controlplane.system;

import java.util.Arrays;

/**
 * Strong entity tags and the {@code If-Match} / {@code If-None-Match} comparisons of RFC
 * 9110.
 */
public final class EntityTags {

	private EntityTags() {
	}

	/** The quoted form of a tag value, as sent in {@code ETag}. */
	public static String quote(String value) {
		return "\"" + value + "\"";
	}

	/**
	 * Checks an update's {@code If-Match} against the current tag.
	 * @throws PreconditionRequiredException if {@code ifMatch} is absent
	 * @throws PreconditionFailedException if it names no current tag
	 */
	public static void requireMatch(String ifMatch, String currentTag, String target) {
		if (ifMatch == null || ifMatch.isBlank()) {
			throw new PreconditionRequiredException(target);
		}
		checkMatch(ifMatch, currentTag, target);
	}

	/** Like {@link #requireMatch} but lets an absent {@code If-Match} through. */
	public static void checkMatch(String ifMatch, String currentTag, String target) {
		if (ifMatch != null && !ifMatch.isBlank() && !matches(ifMatch, currentTag)) {
			throw new PreconditionFailedException(target, quote(currentTag));
		}
	}

	/**
	 * Whether a list-valued conditional header names {@code currentTag} (or is
	 * {@code *}).
	 */
	public static boolean matches(String header, String currentTag) {
		String quoted = quote(currentTag);
		return Arrays.stream(header.split(","))
			.map(String::trim)
			.anyMatch((candidate) -> candidate.equals("*") || candidate.equals(quoted)
					|| candidate.equals("W/" + quoted));
	}

}
