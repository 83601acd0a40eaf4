package io.servinglayer.contracts;

/**
 * The Redis pub/sub channel on which the control plane announces each committed routing
 * revision:
 *
 * <pre>
 * channel  {prefix}routing
 * message  the revision, in decimal ASCII ("42")
 * </pre>
 *
 * Published by the control plane ({@code RevisionAnnouncer}, after the commit, off the
 * request thread); heard by every routing follower ({@code RoutingFollower}), which
 * fetches {@code GET /api/v1/routing} when the announced revision is newer than the one
 * it holds. A lost or garbled message only delays a change: followers also long-poll. A
 * plain channel (PUBLISH, not SPUBLISH): on a Redis Cluster every node relays it to its
 * subscribers.
 */
public final class RoutingRevisionChannel {

	/** The channel's name under the key prefix. */
	public static final String NAME = "routing";

	/** The channel under the default key prefix {@code servinglayer:}. */
	public static final String DEFAULT = "servinglayer:" + NAME;

	private RoutingRevisionChannel() {
	}

	/** The channel under {@code prefix}. */
	public static String channel(String prefix) {
		return prefix + NAME;
	}

	/** The message announcing {@code revision}. */
	public static String message(long revision) {
		return Long.toString(revision);
	}

	/**
	 * The revision a message announces, or {@code -1} when it announces none (not a
	 * decimal number, or negative).
	 */
	public static long revision(String message) {
		try {
			long revision = Long.parseLong(message.trim());
			return (revision >= 0) ? revision : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

}
